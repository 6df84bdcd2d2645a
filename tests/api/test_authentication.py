"""Callers are systems with a token: hashed at rest, shown once, with an expiry, revocable; the
service user behind a client never signs in to the admin; every call is logged with its client."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from governance.api.clients import api_client_revoke
from governance.api.models import ApiCall, ApiClient

pytestmark = pytest.mark.django_db

UNITS = "/api/v1/units/"


def _call(token=None, **headers):
    http = APIClient()
    if token is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    return http.get(UNITS, **headers)


def test_no_token_is_a_401_in_chinese_with_the_scheme_named(county_app):
    response = _call()
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json() == {
        "code": "not_authenticated",
        "message": "请在请求头 “Authorization: Bearer <令牌>” 中发送客户端的令牌。",
        "fields": {},
    }


def test_the_message_is_english_when_asked(county_app):
    response = _call("nonsense", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.json()["code"] == "token_invalid"
    assert response.json()["message"] == "The token is not valid."


def _last_changed(token):
    return token[:-1] + ("A" if token[-1] != "A" else "B")


@pytest.mark.parametrize("mangle", [_last_changed, lambda token: token.split(".")[0], str.upper])
def test_a_wrong_token_is_refused(county_app, mangle):
    response = _call(mangle(county_app.token))
    assert (response.status_code, response.json()["code"]) == (401, "token_invalid")


def test_only_the_hash_of_the_token_is_kept(county_app):
    client = ApiClient.objects.get(pk=county_app.client.pk)
    assert client.token_hash == hashlib.sha256(county_app.token.encode()).hexdigest()
    secret = county_app.token.split(".")[1]
    stored = [str(value) for value in ApiClient.objects.filter(pk=client.pk).values().get().values()]
    assert not any(secret in value for value in stored)


def test_an_expired_token_is_refused(county_app):
    ApiClient.objects.filter(pk=county_app.client.pk).update(token_expires_at=timezone.now() - timedelta(seconds=1))
    response = _call(county_app.token)
    assert (response.status_code, response.json()["code"]) == (401, "token_expired")
    assert "过期" in response.json()["message"]


def test_a_revoked_client_is_refused_and_out_of_every_scope(county, county_app, city_admin):
    assert _call(county_app.token).status_code == 200
    api_client_revoke(actor=city_admin, client=county_app.client)
    response = _call(county_app.token)
    assert (response.status_code, response.json()["code"]) == (401, "token_revoked")
    from governance.scoping import units_for

    county_app.client.user.refresh_from_db()
    assert not units_for(county_app.client.user).exists()


def test_the_service_user_never_enters_the_admin(county_app, client):
    user = county_app.client.user
    assert not user.is_staff and not user.has_usable_password() and user.is_active
    client.force_login(user)
    assert client.get("/admin/").status_code == 302  # to the login page: not staff


def test_the_session_of_a_person_does_not_open_the_api(county, owner, client):
    client.force_login(owner)
    assert client.get(UNITS).status_code == 401


def test_every_call_is_logged_with_its_client(county_app):
    _call(county_app.token, HTTP_X_REQUEST_ID="req-17")
    _call("bad.token")
    logged = list(ApiCall.objects.order_by("pk").values_list("client", "method", "path", "status_code", "request_id"))
    assert logged[0] == (county_app.client.pk, "GET", UNITS, 200, "req-17")
    assert logged[1][0] is None and logged[1][3] == 401
