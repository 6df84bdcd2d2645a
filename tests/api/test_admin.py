"""The city administrator's "API clients" screen: register a client and see its token and webhook
secret once, issue a new token (the old one stops), revoke; nobody else reaches the screen."""

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from governance.api.models import ApiCall, ApiClient
from governance.roles import Capability

pytestmark = pytest.mark.django_db

ADD = reverse("admin:api_apiclient_add")


def _registration(county, **changes):
    data = {
        "name": "12345热线",
        "units": [county.city.pk],
        "capabilities": [Capability.SEE_RECORDS, Capability.RAISE_CASE],
        "token_expires_at_0": "2099-12-31",
        "token_expires_at_1": "23:59:59",
        "rate_limit": "",
        "webhook_url": "https://hotline.example.cn/hook",
    }
    data.update(changes)
    return data


def _secret(page, element_id):
    match = re.search(rf'id="{element_id}" type="text" readonly value="([^"]+)"', page.content.decode())
    return match.group(1) if match else None


def _works(token):
    http = APIClient()
    http.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return http.get("/api/v1/units/").status_code == 200


def test_the_city_administrator_registers_a_client_and_sees_its_token_once(county, city_admin, client):
    client.force_login(city_admin)
    page = client.post(ADD, _registration(county))
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    token, secret = _secret(page, "api-token"), _secret(page, "webhook-secret")
    registered = ApiClient.objects.get()
    assert token and token.startswith(registered.token_prefix + ".") and _works(token)
    assert secret == registered.webhook_secret
    change = client.get(reverse("admin:api_apiclient_change", args=[registered.pk])).content.decode()
    assert token not in change and secret not in change  # never again


def test_a_refused_registration_says_why_on_the_form(county, city_admin, client):
    client.force_login(city_admin)
    page = client.post(ADD, _registration(county, token_expires_at_0="2000-01-01", rate_limit="lots"))
    assert page.status_code == 200 and not ApiClient.objects.exists()
    assert page.context["form"].errors.keys() == {"token_expires_at", "rate_limit"}


def test_a_new_token_replaces_the_old_and_revoking_ends_the_client(county, city_admin, client):
    client.force_login(city_admin)
    old = _secret(client.post(ADD, _registration(county)), "api-token")
    registered = ApiClient.objects.get()
    step = reverse("admin:api_apiclient_step", args=[registered.pk, "new_token"])
    page = client.post(step, {"token_expires_at_0": "2099-01-01", "token_expires_at_1": "00:00:00"})
    new = _secret(page, "api-token")
    assert new and new != old and _works(new) and not _works(old)

    revoke = reverse("admin:api_apiclient_step", args=[registered.pk, "revoke"])
    assert client.post(revoke).status_code == 302
    assert not _works(new)
    registered.refresh_from_db()
    assert registered.revoked_at and registered.history.first().history_change_reason == "revoked"
    # A revoked client offers no more steps.
    assert client.post(step, {"token_expires_at_0": "2099-01-01", "token_expires_at_1": "00:00:00"}).status_code == 403


def test_changing_the_units_changes_the_scope(county, city_admin, client, county_app):
    client.force_login(city_admin)
    url = reverse("admin:api_apiclient_change", args=[county_app.client.pk])
    data = _registration(county, name="清河县App", units=[county.township_a.pk])
    data.update(capabilities=[Capability.SEE_RECORDS], webhook_url="")
    assert client.post(url, data).status_code == 302
    names = {unit["name"] for unit in county_app.get("/api/v1/units/").json()["results"]}
    assert names == {"城关镇", "东关村"}


def test_nobody_else_reaches_the_screen(county, owner, client):
    client.force_login(owner)
    assert client.get(ADD).status_code == 403
    assert client.get(reverse("admin:api_apiclient_changelist")).status_code == 403
    assert client.get(reverse("admin:api_apicall_changelist")).status_code == 403


def test_the_service_users_are_not_on_the_users_list(county, city_admin, client, county_app):
    client.force_login(city_admin)
    users = client.get(reverse("admin:auth_user_changelist")).context["cl"].result_list
    assert county_app.client.user not in users


def test_the_calls_are_listed_for_the_city_administrator(county, city_admin, client, county_app):
    county_app.get("/api/v1/units/")
    client.force_login(city_admin)
    listed = client.get(reverse("admin:api_apicall_changelist")).context["cl"].result_list
    assert [call.client for call in listed] == [county_app.client] and ApiCall.objects.count() == 1
