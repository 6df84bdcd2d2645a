"""Registering, changing and revoking API clients, and finding the client a token belongs to.

A client acts through its own service user, so every service and selector works unchanged with
``actor=client.user``: ``units_for`` reads the user's groups' object permissions on units, and a
client's group holds its capabilities on each of its units, exactly as a (unit, role) group does
for a person. Roles do not fit a system (the hotline acts for the whole city, yet must not be a
city administrator; ``role_assign`` also makes its user staff), so the grants are made here.
"""

import hashlib
import hmac
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from governance.api.models import API_CAPABILITIES, ApiClient
from governance.env import RATE
from governance.models import Unit, UnitGroupObjectPermission
from governance.scoping import sees_everything

TOKEN_PREFIX_BYTES = 4  # 8 hex characters: finds the client, is no secret (it shows in the admin)
TOKEN_SECRET_BYTES = 32
TOKEN_PREFIX = re.compile(f"[0-9a-f]{{{2 * TOKEN_PREFIX_BYTES}}}")

MAY_NOT_MANAGE = _("Only the city administrator registers and changes API clients.")
NO_UNITS = _("Choose at least one unit the client acts for.")
NO_CAPABILITIES = _("Choose at least one capability.")
UNKNOWN_CAPABILITY = _("“%(capability)s” is not a capability an API client can hold.")
EXPIRY_IN_THE_PAST = _("The token's expiry must lie in the future.")
RATE_LIMIT_FORMAT = _("Write the rate limit as a number of calls per period, e.g. 600/min, 20/s, 10000/day.")
CLIENT_REVOKED = _("This API client has been revoked; register a new one.")

TOKEN_MISSING = _("Send the client's token in the header “Authorization: Bearer <token>”.")
TOKEN_INVALID = _("The token is not valid.")
TOKEN_EXPIRED = _("The token has expired; ask the city administrator for a new one.")
TOKEN_REVOKED = _("The token's client has been revoked.")


@dataclass(frozen=True)
class IssuedSecrets:
    """What is shown once: the token (and the webhook secret, at registration or when renewed)."""

    client: ApiClient
    token: str = ""
    webhook_secret: str = ""


class TokenRefused(Exception):
    def __init__(self, code: str, message):
        super().__init__(code)
        self.code, self.message = code, message


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _token_new() -> tuple[str, str]:
    """(prefix, token): ``<8 hex>.<43 url-safe characters>``, 256 bits of secret."""
    while True:
        prefix = secrets.token_hex(TOKEN_PREFIX_BYTES)
        if not ApiClient.objects.filter(token_prefix=prefix).exists():
            return prefix, f"{prefix}.{secrets.token_urlsafe(TOKEN_SECRET_BYTES)}"


def _require_manager(actor) -> None:
    if not sees_everything(actor):
        raise ValidationError(MAY_NOT_MANAGE)


def _validate(*, units, capabilities, expires_at: datetime, rate_limit: str, now: datetime) -> None:
    errors = {}
    if not units:
        errors["units"] = NO_UNITS
    known = {value for value, _label in API_CAPABILITIES}
    unknown = [capability for capability in capabilities if capability not in known]
    if unknown:
        errors["capabilities"] = ValidationError(UNKNOWN_CAPABILITY, params={"capability": unknown[0]})
    elif not capabilities:
        errors["capabilities"] = NO_CAPABILITIES
    if expires_at <= now:
        errors["token_expires_at"] = EXPIRY_IN_THE_PAST
    if rate_limit and not RATE.fullmatch(rate_limit):
        errors["rate_limit"] = RATE_LIMIT_FORMAT
    if errors:
        raise ValidationError(errors)


def grants_sync(client: ApiClient) -> None:
    """The client's group holds exactly its capabilities on each of its units (django-guardian
    object permissions, the table ``units_for`` reads); its service user is in that group only."""
    group, _created = Group.objects.get_or_create(name=f"api-client:{client.pk}")
    UnitGroupObjectPermission.objects.filter(group=group).delete()
    permissions = Permission.objects.filter(
        content_type__app_label="governance", content_type__model="unit", codename__in=client.capabilities
    )
    UnitGroupObjectPermission.objects.bulk_create(
        UnitGroupObjectPermission(group=group, permission=permission, content_object=unit)
        for permission in permissions
        for unit in client.units.all()
    )
    client.user.groups.set([group])


@transaction.atomic
def api_client_register(
    *,
    actor,
    name: str,
    units: list[Unit],
    capabilities: list[str],
    token_expires_at: datetime,
    webhook_url: str = "",
    rate_limit: str = "",
    now: datetime | None = None,
) -> IssuedSecrets:
    """A new client with its service user, grants, token and webhook secret (both shown once)."""
    _require_manager(actor)
    now = now or timezone.now()
    capabilities = list(dict.fromkeys(capabilities))
    _validate(units=units, capabilities=capabilities, expires_at=token_expires_at, rate_limit=rate_limit, now=now)
    prefix, token = _token_new()
    webhook_secret = secrets.token_hex(32)
    client = ApiClient(
        name=(name or "").strip(),
        capabilities=capabilities,
        token_prefix=prefix,
        token_hash=token_hash(token),
        token_expires_at=token_expires_at,
        webhook_url=webhook_url,
        webhook_secret=webhook_secret,
        rate_limit=rate_limit,
        created_by=actor,
    )
    client.full_clean(exclude=["user"])
    # Active (scoping ignores inactive users), not staff and without a usable password: it never
    # signs in to the admin. Its name is the client's, so the case timelines say who acted.
    user = get_user_model()(username=f"api-{uuid.uuid4().hex[:12]}", first_name=client.name[:150], is_staff=False)
    user.set_unusable_password()
    user.save()
    client.user = user
    client._history_user = actor
    client.save()
    client.units.set(units)
    grants_sync(client)
    return IssuedSecrets(client=client, token=token, webhook_secret=webhook_secret)


@transaction.atomic
def api_client_update(
    *,
    actor,
    client: ApiClient,
    name: str,
    units: list[Unit],
    capabilities: list[str],
    token_expires_at: datetime,
    webhook_url: str = "",
    rate_limit: str = "",
    now: datetime | None = None,
) -> ApiClient:
    _require_manager(actor)
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if client.revoked_at:
        raise ValidationError(CLIENT_REVOKED)
    capabilities = list(dict.fromkeys(capabilities))
    now = now or timezone.now()
    _validate(units=units, capabilities=capabilities, expires_at=token_expires_at, rate_limit=rate_limit, now=now)
    client.name = (name or "").strip()
    client.capabilities = capabilities
    client.token_expires_at = token_expires_at
    client.webhook_url = webhook_url
    client.rate_limit = rate_limit
    client.full_clean(exclude=["user"])
    client._history_user = actor
    client.save()
    client.units.set(units)
    client.user.first_name = client.name[:150]
    client.user.save(update_fields=["first_name"])
    grants_sync(client)
    return client


@transaction.atomic
def api_client_revoke(*, actor, client: ApiClient, now: datetime | None = None) -> ApiClient:
    """For good: the token stops working, the service user is made inactive (so it is in no
    unit's scope any more) and no webhook is called again."""
    _require_manager(actor)
    now = now or timezone.now()
    if ApiClient.objects.filter(pk=client.pk, revoked_at__isnull=True).update(revoked_at=now) != 1:
        raise ValidationError(CLIENT_REVOKED)
    get_user_model().objects.filter(pk=client.user_id).update(is_active=False)
    client.refresh_from_db()
    _history_write(client, actor, "revoked")  # update() above writes no history row itself
    return client


@transaction.atomic
def api_client_token_issue(
    *, actor, client: ApiClient, token_expires_at: datetime, now: datetime | None = None
) -> IssuedSecrets:
    """A new token replaces the old one at once (a leaked token, a yearly renewal)."""
    _require_manager(actor)
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if client.revoked_at:
        raise ValidationError(CLIENT_REVOKED)
    if token_expires_at <= (now or timezone.now()):
        raise ValidationError({"token_expires_at": EXPIRY_IN_THE_PAST})
    prefix, token = _token_new()
    client.token_prefix, client.token_hash, client.token_expires_at = prefix, token_hash(token), token_expires_at
    client._history_user = actor
    client.save(update_fields=["token_prefix", "token_hash", "token_expires_at"])
    return IssuedSecrets(client=client, token=token)


@transaction.atomic
def api_client_webhook_secret_issue(*, actor, client: ApiClient) -> IssuedSecrets:
    _require_manager(actor)
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if client.revoked_at:
        raise ValidationError(CLIENT_REVOKED)
    client.webhook_secret = secrets.token_hex(32)
    client._history_user = actor
    client.save(update_fields=["webhook_secret"])
    return IssuedSecrets(client=client, webhook_secret=client.webhook_secret)


def _history_write(client: ApiClient, actor, reason: str) -> None:
    ApiClient.history.bulk_history_create([client], update=True, default_user=actor, default_change_reason=reason)


# A hash to compare against when no client has the prefix, so that answer takes as long.
_NO_CLIENT_HASH = token_hash("no-client")


def client_for_token(token: str, *, now: datetime | None = None) -> ApiClient:
    """The client whose token this is, or ``TokenRefused``. The hash of the whole token is
    compared in constant time; only a matching token learns that it expired or was revoked."""
    prefix, dot, _secret = token.partition(".")
    client = None
    if dot and TOKEN_PREFIX.fullmatch(prefix):
        client = ApiClient.objects.select_related("user").filter(token_prefix=prefix).first()
    expected = client.token_hash if client else _NO_CLIENT_HASH
    if not hmac.compare_digest(expected, token_hash(token)) or client is None:
        raise TokenRefused("token_invalid", TOKEN_INVALID)
    if client.revoked_at is not None or not client.user.is_active:
        raise TokenRefused("token_revoked", TOKEN_REVOKED)
    if client.token_expires_at <= (now or timezone.now()):
        raise TokenRefused("token_expired", TOKEN_EXPIRED)
    return client
