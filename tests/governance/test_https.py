"""HTTPS behind a TLS-terminating load balancer (issue 11.10): with DEBUG off plain HTTP is
redirected and HSTS sent by default; the proxy's X-Forwarded-Proto is believed once configured, so
POSTs pass the CSRF check (they failed: every request looked like plain HTTP to Django)."""

import secrets

import pytest
from django.test import Client

from tests.factories.governance import UserFactory
from tests.governance.fresh_start import settings_under

HTTPS = ["SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD"]
COOKIES = ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"]
PROXY = ["SECURE_PROXY_SSL_HEADER", "CSRF_TRUSTED_ORIGINS"]
HOST = "gov.example.cn"


@pytest.fixture
def production(tmp_path):
    return {"DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3", "SECRET_KEY": secrets.token_urlsafe(50)}


def test_with_debug_off_https_is_the_default(production):
    values = settings_under(production, *HTTPS, *COOKIES, *PROXY)
    assert values == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31_536_000,  # a year
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": False,  # other hosts of the domain: only when asked
        "SECURE_HSTS_PRELOAD": False,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_PROXY_SSL_HEADER": None,
        "CSRF_TRUSTED_ORIGINS": [],
    }


def test_the_proxy_origins_and_hsts_come_from_the_environment(production):
    production |= {
        "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        "CSRF_TRUSTED_ORIGINS": f"https://{HOST},https://zhili.example.cn",
        "SECURE_HSTS_SECONDS": "600",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
        "SECURE_HSTS_PRELOAD": "1",
    }
    values = settings_under(production, *HTTPS, *PROXY)
    assert values == {
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 600,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "CSRF_TRUSTED_ORIGINS": [f"https://{HOST}", "https://zhili.example.cn"],
    }


def test_the_embedded_default_stays_on_plain_http():
    values = settings_under({}, *HTTPS, *COOKIES)
    assert not any(values.values()), values


@pytest.fixture
def behind_the_proxy(settings, db):
    settings.ALLOWED_HOSTS = [HOST]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    UserFactory(username="clerk")
    return settings


def _sign_in_through_the_proxy(client: Client, **headers):
    """What a browser does on https://gov.example.cn, as the app sees it behind the proxy."""
    page = client.get("/admin/login/", headers={"host": HOST, **headers})
    response = client.post(
        "/admin/login/",
        {"username": "clerk", "password": "pw", "csrfmiddlewaretoken": client.cookies["csrftoken"].value},
        headers={"host": HOST, "origin": f"https://{HOST}", **headers},
    )
    return page, response


def test_a_post_through_the_tls_proxy_passes_the_csrf_check(behind_the_proxy):
    client = Client(enforce_csrf_checks=True)
    page, response = _sign_in_through_the_proxy(client, x_forwarded_proto="https")
    assert page.status_code == 200
    assert page["Strict-Transport-Security"] == "max-age=31536000"
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_without_the_proxy_header_the_same_post_is_refused(behind_the_proxy):
    """The finding: TLS ends at the proxy, Django sees http://, the browser's origin is https://."""
    behind_the_proxy.SECURE_PROXY_SSL_HEADER = None
    behind_the_proxy.SECURE_SSL_REDIRECT = False  # else it redirects for ever
    client = Client(enforce_csrf_checks=True)
    _, response = _sign_in_through_the_proxy(client, x_forwarded_proto="https")
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_plain_http_is_redirected_to_https(behind_the_proxy):
    response = Client().get("/admin/login/?next=/admin/", headers={"host": HOST, "x_forwarded_proto": "http"})
    assert response.status_code == 301
    assert response["Location"] == f"https://{HOST}/admin/login/?next=/admin/"
