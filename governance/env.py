"""Typed readers for settings that come from environment variables.

Each helper refuses a value it cannot understand with ``ImproperlyConfigured``
so that a typo in a deployment fails at start-up, not on the first request.
"""

import datetime
import os
import re
from email.utils import getaddresses
from ipaddress import IPv4Network, IPv6Network, ip_network
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.validators import validate_email

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}
_HEADER_NAME = re.compile(r"[A-Za-z0-9-]+")
# DRF's throttle rates: calls per second, minute, hour or day ("600/min").
RATE = re.compile(r"[1-9][0-9]{0,6}/(s|sec|second|m|min|minute|h|hour|d|day)")


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Environment variable {name} is required.")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of {sorted(_TRUE | _FALSE)}, got {raw!r}.")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}.")
    return value


_CLOCK = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")


def env_clock(name: str, default: str) -> datetime.time:
    """A time of day written HH:MM (24-hour), e.g. "08:30"."""
    raw = os.environ.get(name, default).strip()
    match = _CLOCK.fullmatch(raw)
    if match is None:
        raise ImproperlyConfigured(f"{name} must be a time of day as HH:MM (e.g. 08:30), got {raw!r}.")
    return datetime.time(int(match[1]), int(match[2]))


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


# Django's own deploy standard for a key (check security.W009), and placeholders people paste from
# examples; a key like these signs sessions and password-reset links anyone could forge (issue 11).
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_DISTINCT = 5
SECRET_KEY_PLACEHOLDERS = frozenset(
    {"change-me", "changeme", "change_me", "secret", "secret-key", "secret_key", "x", "xxx", "test", "dev"}
)
SECRET_KEY_HOW_TO = "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"


def env_secret_key(name: str, *, development_key: str | None) -> str:
    """The secret key; ``development_key`` is what DEBUG may use, None where a real key is required."""
    if development_key is not None:
        return env_str(name, development_key)
    value = os.environ.get(name)
    if value is None:
        raise ImproperlyConfigured(f"{name} is required when DEBUG is off. {SECRET_KEY_HOW_TO}")
    if value.strip().lower() in SECRET_KEY_PLACEHOLDERS or value.startswith("django-insecure-"):
        raise ImproperlyConfigured(f"{name} is a placeholder, not a secret. {SECRET_KEY_HOW_TO}")
    if len(value) < SECRET_KEY_MIN_LENGTH or len(set(value)) < SECRET_KEY_MIN_DISTINCT:
        raise ImproperlyConfigured(
            f"{name} must be at least {SECRET_KEY_MIN_LENGTH} characters with at least "
            f"{SECRET_KEY_MIN_DISTINCT} different ones. {SECRET_KEY_HOW_TO}"
        )
    return value


def env_networks(name: str) -> tuple[IPv4Network | IPv6Network, ...]:
    """Comma-separated addresses or networks (``10.0.0.1,10.0.1.0/24``); unset is none."""
    networks = []
    for item in env_list(name, []):
        try:
            networks.append(ip_network(item, strict=False))
        except ValueError:
            raise ImproperlyConfigured(f"{name}: {item!r} is not an IP address or network.") from None
    return tuple(networks)


def env_origins(name: str) -> list[str]:
    """Comma-separated origins (``https://gov.example.cn``): a scheme and a host, nothing after."""
    origins = env_list(name, [])
    for origin in origins:
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path or parts.query:
            raise ImproperlyConfigured(f"{name}: {origin!r} must look like https://host[:port].")
    return origins


def env_header(name: str) -> str | None:
    """An HTTP header name (``X-Forwarded-Proto``) as Django's request.META key, or None if unset."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    if not _HEADER_NAME.fullmatch(raw):
        raise ImproperlyConfigured(f"{name} must be a header name such as X-Forwarded-Proto, got {raw!r}.")
    return "HTTP_" + raw.upper().replace("-", "_")


def env_addresses(name: str) -> list[tuple[str, str]]:
    """Comma-separated mail addresses, with or without a name (``张三 <zhang@example.cn>``)."""
    raw = os.environ.get(name, "")
    addresses = getaddresses([raw]) if raw.strip() else []
    for display_name, address in addresses:
        try:
            validate_email(address)
        except ValidationError:
            raise ImproperlyConfigured(f"{name}: {display_name} {address!r} is not a mail address.") from None
    return addresses


def env_rate(name: str, default: str) -> str:
    """A rate limit such as ``600/min`` (calls per s, min, hour or day)."""
    value = os.environ.get(name, default).strip()
    if not RATE.fullmatch(value):
        raise ImproperlyConfigured(f"{name} must look like 600/min, 20/s or 10000/day, got {value!r}.")
    return value
