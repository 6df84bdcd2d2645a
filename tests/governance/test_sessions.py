"""Sessions end at browser close and after a working day idle (issue 11.10: they lasted two weeks,
in a persistent cookie). Every request moves the end forward."""

import datetime

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from tests.factories.governance import UserFactory

WORKING_DAY = datetime.timedelta(hours=8)


@pytest.fixture
def signed_in(client, db):
    UserFactory(username="clerk", is_superuser=True)
    response = client.post("/admin/login/", {"username": "clerk", "password": "pw"})
    assert response.status_code == 302
    return client, response


def _session(client) -> Session:
    return Session.objects.get(session_key=client.cookies["sessionid"].value)


def test_the_cookie_dies_with_the_browser(signed_in):
    _, response = signed_in
    cookie = response.cookies["sessionid"]
    assert cookie["expires"] == "" and cookie["max-age"] == ""


def test_the_session_ends_after_a_working_day_idle(signed_in):
    client, _ = signed_in
    expiry = _session(client).expire_date
    assert abs(expiry - (timezone.now() + WORKING_DAY)) < datetime.timedelta(minutes=1)
    Session.objects.filter(pk=_session(client).pk).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_each_request_moves_the_end_forward(signed_in):
    """Seven hours into a quiet spell, a click buys another working day."""
    client, _ = signed_in
    Session.objects.filter(pk=_session(client).pk).update(expire_date=timezone.now() + datetime.timedelta(hours=1))
    assert client.get("/admin/").status_code == 200
    assert _session(client).expire_date > timezone.now() + WORKING_DAY - datetime.timedelta(minutes=1)
