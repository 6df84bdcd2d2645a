"""Login lockout behind the load balancer (issue 11.10): failures lock a username from the
client's own address, not the balancer's, so an attacker cannot lock someone else out; a forged
X-Forwarded-For does not move the attacker's failures onto the victim's address."""

from ipaddress import ip_network

import pytest
from django.urls import reverse

from tests.factories.governance import UserFactory

PROXY = "10.0.0.1"
ATTACKER = "203.0.113.9"
CLERK_AT_HER_DESK = "198.51.100.7"


@pytest.fixture
def clerk(settings, db):
    settings.TRUSTED_PROXIES = (ip_network(PROXY),)
    return UserFactory(username="clerk")


def _login(client, password, *, forwarded_for, remote=PROXY):
    return client.post(
        reverse("admin:login"),
        {"username": "clerk", "password": password},
        REMOTE_ADDR=remote,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def _fail_until_locked(client, settings, **where):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "wrong", **where)
    assert _login(client, "pw", **where).status_code == 429


def test_an_attacker_behind_the_proxy_does_not_lock_the_clerk_out(clerk, client, settings):
    _fail_until_locked(client, settings, forwarded_for=ATTACKER)
    response = _login(client, "pw", forwarded_for=CLERK_AT_HER_DESK)
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_an_attacker_forging_the_clerks_address_locks_only_himself(clerk, client, settings):
    # The proxy appends the address it saw: what the attacker wrote stands to the left of it.
    _fail_until_locked(client, settings, forwarded_for=f"{CLERK_AT_HER_DESK}, {ATTACKER}")
    response = _login(client, "pw", forwarded_for=CLERK_AT_HER_DESK)
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_a_forged_header_sent_past_the_proxy_is_ignored(clerk, client, settings):
    """Straight at the app, each try claiming another address: still one address, still locked."""
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "wrong", remote=ATTACKER, forwarded_for=f"192.0.2.{n}")
    assert _login(client, "pw", remote=ATTACKER, forwarded_for="192.0.2.200").status_code == 429
