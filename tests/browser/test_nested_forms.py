"""No form inside another form, anywhere (issue 9). Browsers drop a nested form, so its first
button posts the outer form instead: the main step buttons once answered 403 this way while every
test that posted to their URLs passed. Every admin page of the demo city, as every demo user sees
it: lists, add forms, change pages (a few records of each state) and the steps they offer.

Needs no browser: it reads the HTML the browser would get, so it runs on SQLite too."""

from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse

from governance.admin.steps import WorkflowStepsMixin
from governance.models import RoleAssignment

pytestmark = pytest.mark.django_db

RECORDS_PER_STATE = 1


class FormNesting(HTMLParser):
    def __init__(self):
        super().__init__()
        self.depth = 0
        self.nested = 0

    def handle_starttag(self, tag, attrs):
        if tag == "form":
            self.nested += self.depth > 0
            self.depth += 1

    def handle_endtag(self, tag):
        if tag == "form":
            self.depth -= 1


def nested_forms(html: str) -> int:
    parser = FormNesting()
    parser.feed(html)
    return parser.nested


def test_the_check_finds_a_nested_form():
    assert nested_forms("<form><p><form></form></p></form>") == 1
    assert nested_forms("<form></form><form><input></form>") == 0


def _sample(model_admin, request):
    """A few records of each state the user may open (every record when the model has no state)."""
    queryset = model_admin.get_queryset(request).order_by("pk")
    if not any(field.name == "state" for field in model_admin.model._meta.fields):
        return list(queryset[:RECORDS_PER_STATE])
    states = queryset.order_by().values_list("state", flat=True).distinct()
    return [record for state in states for record in queryset.filter(state=state)[:RECORDS_PER_STATE]]


def _pages(user, seen_forms: set):
    """The user's pages; an add form or a step's page only the first time it comes up (the same
    form whoever opens it)."""
    request = RequestFactory().get("/admin/")
    request.user = user
    for model, model_admin in admin.site._registry.items():
        if not model_admin.has_view_or_change_permission(request):
            continue
        info = model._meta.app_label, model._meta.model_name
        yield reverse("admin:{}_{}_changelist".format(*info))
        if model_admin.has_add_permission(request) and (model, "add") not in seen_forms:
            seen_forms.add((model, "add"))
            yield reverse("admin:{}_{}_add".format(*info))
        for record in _sample(model_admin, request):
            yield reverse("admin:{}_{}_change".format(*info), args=[record.pk])
            if isinstance(model_admin, WorkflowStepsMixin):
                for step in model_admin.offered_steps(request, record):
                    if (model, step) not in seen_forms:
                        seen_forms.add((model, step))
                        yield model_admin.step_url(record, step)


def _one_user_per_role():
    """The superuser and one holder of each role: two clerks of two townships see the same pages."""
    users = {}
    for assignment in RoleAssignment.objects.select_related("user").order_by("user__username"):
        users.setdefault(assignment.role, assignment.user)
    return [get_user_model().objects.filter(is_superuser=True).first(), *users.values()]


def test_no_admin_page_of_the_demo_nests_a_form(client, demo_city):
    seen, nested, seen_forms = 0, [], set()
    for user in _one_user_per_role():
        client.force_login(user)
        for url in _pages(user, seen_forms):
            response = client.get(url)
            assert response.status_code == 200, f"{user.username} {url}: {response.status_code}"
            seen += 1
            if nested_forms(response.content.decode()):
                nested.append(f"{user.username} {url}")
    assert seen > 200, "the walk reaches the demo's pages"
    assert nested == []
