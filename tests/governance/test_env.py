"""Settings come from the environment through typed readers that refuse what they cannot read."""

import secrets
from ipaddress import ip_address

import pytest
from django.core.exceptions import ImproperlyConfigured

from governance.env import (
    env_addresses,
    env_bool,
    env_header,
    env_int,
    env_list,
    env_networks,
    env_origins,
    env_secret_key,
    env_str,
)
from tests.governance.fresh_start import start

A_REAL_KEY = secrets.token_urlsafe(50)


def test_booleans_are_read_the_usual_ways(monkeypatch):
    monkeypatch.setenv("FLAG", " Yes ")
    assert env_bool("FLAG", default=False) is True
    monkeypatch.setenv("FLAG", "off")
    assert env_bool("FLAG", default=True) is False
    monkeypatch.delenv("FLAG")
    assert env_bool("FLAG", default=True) is True


def test_an_unreadable_boolean_stops_thestart(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG"):
        env_bool("FLAG", default=False)


def test_integers_are_checked(monkeypatch):
    monkeypatch.setenv("LIMIT", "12")
    assert env_int("LIMIT", 5, minimum=1) == 12
    monkeypatch.setenv("LIMIT", "twelve")
    with pytest.raises(ImproperlyConfigured, match="integer"):
        env_int("LIMIT", 5)
    monkeypatch.setenv("LIMIT", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("LIMIT", 5, minimum=1)


def test_lists_and_required_strings(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.example, b.example,,")
    assert env_list("HOSTS", []) == ["a.example", "b.example"]
    monkeypatch.delenv("NEEDED", raising=False)
    with pytest.raises(ImproperlyConfigured, match="NEEDED"):
        env_str("NEEDED")


def test_production_refuses_to_start_without_a_secret_key():
    result = start({"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_the_readmes_old_placeholder_key():
    """Issue 11: the README said SECRET_KEY=change-me and production started with it."""
    result = start({"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x", "SECRET_KEY": "change-me"})
    assert result.returncode != 0
    assert "SECRET_KEY is a placeholder" in result.stderr and "secrets.token_urlsafe(50)" in result.stderr


@pytest.mark.parametrize("key", ["Change-Me", "secret", "x", "django-insecure-" + "k" * 40])
def test_placeholder_keys_are_refused_with_debug_off(monkeypatch, key):
    monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(ImproperlyConfigured, match=r"placeholder.*secrets\.token_urlsafe"):
        env_secret_key("SECRET_KEY", development_key=None)


@pytest.mark.parametrize("key", ["ci-only-secret-12345", "ab" * 40])
def test_short_or_repetitive_keys_are_refused_with_debug_off(monkeypatch, key):
    monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(ImproperlyConfigured, match="at least 50 characters with at least 5 different"):
        env_secret_key("SECRET_KEY", development_key=None)


def test_a_real_key_is_taken_and_debug_takes_any(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", A_REAL_KEY)
    assert env_secret_key("SECRET_KEY", development_key=None) == A_REAL_KEY
    monkeypatch.setenv("SECRET_KEY", "x")
    assert env_secret_key("SECRET_KEY", development_key="dev") == "x"
    monkeypatch.delenv("SECRET_KEY")
    assert env_secret_key("SECRET_KEY", development_key="dev") == "dev"


def test_trusted_proxies_are_addresses_or_networks(monkeypatch):
    monkeypatch.setenv("PROXIES", "10.0.0.1, 10.1.0.0/16,fd00::/8")
    networks = env_networks("PROXIES")
    assert ip_address("10.0.0.1") in networks[0] and ip_address("10.1.200.3") in networks[1]
    assert ip_address("fd00::5") in networks[2]
    monkeypatch.setenv("PROXIES", "10.0.0.1,load-balancer")
    with pytest.raises(ImproperlyConfigured, match="'load-balancer' is not an IP address"):
        env_networks("PROXIES")
    monkeypatch.delenv("PROXIES")
    assert env_networks("PROXIES") == ()


def test_origins_need_a_scheme_and_nothing_after_the_host(monkeypatch):
    monkeypatch.setenv("ORIGINS", "https://gov.example.cn,http://10.0.0.5:8080")
    assert env_origins("ORIGINS") == ["https://gov.example.cn", "http://10.0.0.5:8080"]
    for bad in ("gov.example.cn", "https://gov.example.cn/admin/", "ftp://gov.example.cn"):
        monkeypatch.setenv("ORIGINS", bad)
        with pytest.raises(ImproperlyConfigured, match="https://host"):
            env_origins("ORIGINS")


def test_a_proxy_header_name_becomes_its_meta_key(monkeypatch):
    monkeypatch.setenv("HEADER", "X-Forwarded-Proto")
    assert env_header("HEADER") == "HTTP_X_FORWARDED_PROTO"
    monkeypatch.setenv("HEADER", "X-Forwarded-Proto: https")
    with pytest.raises(ImproperlyConfigured, match="header name"):
        env_header("HEADER")
    monkeypatch.delenv("HEADER")
    assert env_header("HEADER") is None


def test_mail_addresses_with_chinese_names(monkeypatch):
    monkeypatch.setenv("ADMINS", "张三 <zhang@example.cn>, li@example.cn")
    assert env_addresses("ADMINS") == [("张三", "zhang@example.cn"), ("", "li@example.cn")]
    monkeypatch.setenv("ADMINS", "张三 zhang")
    with pytest.raises(ImproperlyConfigured, match="not a mail address"):
        env_addresses("ADMINS")
    monkeypatch.delenv("ADMINS")
    assert env_addresses("ADMINS") == []


def test_an_unsupported_database_is_refused():
    result = start({"DATABASE_URL": "mysql://root@127.0.0.1/x", "SECRET_KEY": A_REAL_KEY})
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_the_embedded_default_starts_in_debug_without_configuration():
    assert start({}).returncode == 0
