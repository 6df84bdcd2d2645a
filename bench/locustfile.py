"""Clerks, officers and the county centre at work (issue 12): driven by ``bench/load.py``.

Each simulated person signs in once, then browses lists, opens cases and (a clerk) raises some,
with think time between clicks. ``LOAD_PEOPLE`` names a JSON file of who may be played and the
ids a raise needs (written by ``bench/load.py`` from the database).
"""

import json
import os
import random
import re

from locust import HttpUser, between, task

PEOPLE = json.loads(open(os.environ["LOAD_PEOPLE"], encoding="utf-8").read())
PASSWORD = "Demo-2026-pass"
RAISED = "已吹哨"  # the raise's message on the case page it lands on
CHANGE_LINK = re.compile(r'href="(/admin/cases/case/\d+/change/)')


class Person(HttpUser):
    wait_time = between(1, 3)
    abstract = True
    role = ""

    def on_start(self):
        self.person = random.choice(PEOPLE[self.role])
        self.client.get("/admin/login/", name="login page")
        with self.client.post(
            "/admin/login/?next=/admin/",
            {"username": self.person["username"], "password": PASSWORD, "next": "/admin/",
             "csrfmiddlewaretoken": self.client.cookies.get("csrftoken")},
            name="sign in", catch_response=True,
        ) as response:  # fmt: skip
            if 'name="password"' in response.text:  # the login form again: every later page would be it too
                response.failure("not signed in")

    def _case_from(self, response):
        links = CHANGE_LINK.findall(response.text)
        if links:
            self.client.get(random.choice(links), name="case page")

    @task(4)
    def cases(self):
        self._case_from(self.client.get("/admin/cases/case/", name="case list"))

    @task(2)
    def open_cases(self):
        self.client.get("/admin/cases/case/?state__exact=open", name="case list: open")

    @task(2)
    def assignments(self):
        self.client.get("/admin/cases/caseassignment/", name="assignment list")

    @task(1)
    def overdue(self):
        self.client.get("/admin/cases/caseassignment/?due=overdue", name="assignment list: overdue")

    @task(2)
    def home(self):
        self.client.get("/admin/", name="home")


class Clerk(Person):
    weight = 7
    role = "clerk"

    @task(2)
    def requests(self):
        self.client.get("/admin/cases/servicerequest/", name="service request list")

    @task(1)
    def search(self):
        self.client.get(f"/admin/cases/case/?q={self.person['place']}", name="case list: search")

    @task(1)
    def raise_case(self):
        self.client.get("/admin/cases/case/add/", name="raise form")
        item = random.choice(PEOPLE["items"])
        with self.client.post(
            "/admin/cases/case/add/",
            {"township": self.person["township"], "item": item["pk"], "co_sectors": item["co_sectors"],
             "title": f"{self.person['place']}压测问题", "description": "负载测试", "priority": "normal",
             "csrfmiddlewaretoken": self.client.cookies.get("csrftoken")},
            name="raise a case", catch_response=True,
        ) as response:  # fmt: skip
            if RAISED not in response.text:
                response.failure("the case was not raised")


class Officer(Person):
    weight = 2
    role = "officer"


class Centre(Person):
    weight = 1
    role = "centre"
