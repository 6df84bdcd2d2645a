"""Settings come from the environment through typed readers that refuse what they cannot read."""

import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from governance.env import env_bool, env_int, env_list, env_str


def test_booleans_are_read_the_usual_ways(monkeypatch):
    monkeypatch.setenv("FLAG", " Yes ")
    assert env_bool("FLAG", default=False) is True
    monkeypatch.setenv("FLAG", "off")
    assert env_bool("FLAG", default=True) is False
    monkeypatch.delenv("FLAG")
    assert env_bool("FLAG", default=True) is True


def test_an_unreadable_boolean_stops_the_start(monkeypatch):
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


def _start(env: dict) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter with exactly these variables."""
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='governance.settings'; django.setup()"
    return subprocess.run(
        [sys.executable, "-c", code], env={"PATH": "/usr/bin:/bin", **env}, capture_output=True, text=True
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _start({"DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_an_unsupported_database_is_refused():
    result = _start({"DATABASE_URL": "mysql://root@127.0.0.1/x", "SECRET_KEY": "s"})
    assert result.returncode != 0
    assert "DATABASE_URL" in result.stderr


def test_the_embedded_default_starts_in_debug_without_configuration():
    assert _start({}).returncode == 0
