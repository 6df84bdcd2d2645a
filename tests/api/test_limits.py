"""Limits and errors: per-client rate limits, body and attachment sizes, and every refusal a JSON
body with a code and a Chinese message."""

import os

import pytest
from django.test import override_settings

from tests.api.conftest import caller, case_body

pytestmark = pytest.mark.django_db

UNITS = "/api/v1/units/"


def test_a_client_past_its_rate_is_told_to_wait(county, city_admin):
    slow = caller(actor=city_admin, name="慢", units=[county.county], rate_limit="2/min")
    fast = caller(actor=city_admin, name="快", units=[county.county])
    assert [slow.get(UNITS).status_code for _ in range(2)] == [200, 200]
    refused = slow.get(UNITS)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    body = refused.json()
    assert body["code"] == "throttled" and body["retry_after"] > 0 and "秒后再试" in body["message"]
    assert fast.get(UNITS).status_code == 200  # each client its own count


@override_settings(API_RATE_LIMIT="1/min")
def test_the_default_rate_comes_from_the_settings(county, county_app):
    assert [county_app.get(UNITS).status_code for _ in range(2)] == [200, 429]


@override_settings(API_MAX_BODY_BYTES=2048)
def test_a_body_past_the_limit_is_refused_before_it_is_read(county, county_app, item):
    response = county_app.post("/api/v1/cases/", case_body(county, description="长" * 2000))
    assert response.status_code == 413
    assert response.json() == {"code": "payload_too_large", "message": "请求过大：请求内容最多 2 KB。", "fields": {}}


def test_a_body_that_is_not_json_is_a_400(county, county_app):
    response = county_app.http.post("/api/v1/cases/", "{not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "malformed"


def test_another_media_type_is_a_415(county, county_app):
    response = county_app.http.post("/api/v1/cases/", "title=x", content_type="text/plain")
    assert response.status_code == 415 and response.json()["code"] == "unsupported_media_type"


def test_a_method_the_address_does_not_take_is_a_405(county, county_app):
    response = county_app.http.delete(UNITS)
    assert response.status_code == 405
    assert response.json()["message"] == "该地址不接受 DELETE 请求。"


@pytest.mark.parametrize("query", [{"level": "planet"}, {"parent": "\x00"}, {"include_inactive": "maybe"}])
def test_query_values_out_of_range_are_400s(county, county_app, query):
    url = "/api/v1/service-items/" if "include_inactive" in query else UNITS
    response = county_app.get(url, query)
    assert response.status_code == 400 and list(response.json()["fields"]) == list(query)


def test_the_rate_limit_setting_is_checked_at_start(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from governance.env import env_rate

    monkeypatch.setenv("API_RATE_LIMIT", "20/s")
    assert env_rate("API_RATE_LIMIT", "600/min") == "20/s"
    monkeypatch.setenv("API_RATE_LIMIT", "lots")
    with pytest.raises(ImproperlyConfigured):
        env_rate("API_RATE_LIMIT", "600/min")


def test_with_redis_every_process_shares_one_count(county, city_admin, settings):
    """API_THROTTLE_REDIS_URL: the count lives in Redis, so a second process (a fresh cache
    connection) sees the first's calls. TEST_REDIS_URL names the database (.ci/run gives each of its
    two parallel runs its own)."""
    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    settings.CACHES = {
        **settings.CACHES,
        "api_throttle": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url},
    }
    settings.API_THROTTLE_CACHE = "api_throttle"
    from django.core.cache import caches

    caches["api_throttle"].clear()
    slow = caller(actor=city_admin, name="慢", units=[county.county], rate_limit="2/min")
    assert [slow.get(UNITS).status_code for _ in range(2)] == [200, 200]
    caches["api_throttle"].close()  # as another process would, with its own connection
    assert slow.get(UNITS).status_code == 429
    caches["api_throttle"].clear()
