"""Systems that call the intake API (issue 17): the 12345 hotline platform, a county's app, a
provincial system. Each is an ``ApiClient`` with its own service user, scoped like a person.

- ``ApiClient``: the token (only its SHA-256 hash is kept), its expiry and revocation, the units it
  acts for and the capabilities it holds there, its rate limit and its webhook.
- ``ApiTicket``: the caller's own ticket number for a case or service request it created, unique
  per client; it also says which client created which record (its webhooks follow them).
- ``IdempotencyRecord``: (client, Idempotency-Key) → the answer given, so a retried create is
  answered again, never created twice.
- ``ApiCall``: one row per call, with the client.
- ``WebhookDelivery``: an event waiting for, or given to, a client's webhook (the outbox).
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from governance.roles import Capability

# What a system may be given: reading, raising cases, logging service requests, and seeing the
# citizens' ID numbers and phones unmasked. The rest (rating, approving, …) are people's steps.
API_CAPABILITIES = (
    (Capability.SEE_RECORDS, _("Read cases and service requests of its units")),
    (Capability.RAISE_CASE, _("Raise cases for townships of its units")),
    (Capability.LOG_SERVICE_REQUEST, _("Log service requests at desks of its units")),
    (Capability.VIEW_PERSONAL_INFO, _("See ID numbers and phones unmasked")),
)


class ApiClient(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    # The service user every service and selector is called with (actor=client.user): active, not
    # staff, no usable password, so it never signs in to the admin; its group holds the grants.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("service user"),
        on_delete=models.PROTECT,
        related_name="api_client",
        editable=False,
    )
    units = models.ManyToManyField("governance.Unit", verbose_name=_("acts for units"), related_name="+")
    capabilities = models.JSONField(_("capabilities"), default=list)
    # The token is "<prefix>.<secret>": the prefix finds the client, the hash of the whole token
    # is compared in constant time. The token itself is shown once and never stored.
    token_prefix = models.CharField(_("token prefix"), max_length=12, unique=True, editable=False)
    token_hash = models.CharField(max_length=64, editable=False)
    token_expires_at = models.DateTimeField(_("token expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    rate_limit = models.CharField(
        _("rate limit"),
        max_length=20,
        blank=True,
        help_text=_("Calls allowed, e.g. 600/min or 20/s; empty for the default (API_RATE_LIMIT)."),
    )
    webhook_url = models.URLField(
        _("webhook URL"),
        blank=True,
        help_text=_("Called with a signed event when a case or service request this client created changes."),
    )
    webhook_secret = models.CharField(max_length=64, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    # The token's hash and the webhook secret stay out of the history tables.
    history = HistoricalRecords(excluded_fields=["token_hash", "webhook_secret"], m2m_fields=[units])

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def holds_capability(self, capability: str) -> bool:
        return capability in self.capabilities


class ApiTicket(models.Model):
    client = models.ForeignKey(ApiClient, verbose_name=_("API client"), on_delete=models.PROTECT, related_name="+")
    ticket = models.CharField(_("caller's ticket number"), max_length=64, blank=True)
    case = models.OneToOneField(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, null=True, blank=True, related_name="api_ticket"
    )
    service_request = models.OneToOneField(
        "cases.ServiceRequest",
        verbose_name=_("service request"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="api_ticket",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("API ticket")
        verbose_name_plural = _("API tickets")
        constraints = [
            models.UniqueConstraint(
                fields=["client", "ticket"], condition=~Q(ticket=""), name="api_ticket_unique_per_client"
            ),
            models.CheckConstraint(
                name="api_ticket_one_record",
                condition=Q(case__isnull=False, service_request__isnull=True)
                | Q(case__isnull=True, service_request__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.client_id}:{self.ticket}"


class IdempotencyRecord(models.Model):
    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    # What was asked (method, path and body, hashed): the same key with another request is refused.
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "key"], name="idempotency_key_unique_per_client")]

    def __str__(self):
        return f"{self.client_id}:{self.key}"


class ApiCall(models.Model):
    client = models.ForeignKey(
        ApiClient, verbose_name=_("API client"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=200)
    status_code = models.PositiveSmallIntegerField(_("status"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))
    request_id = models.CharField(_("request id"), max_length=128)
    address = models.CharField(_("client address"), max_length=45)
    at = models.DateTimeField(_("at"), db_index=True)

    class Meta:
        verbose_name = _("API call")
        verbose_name_plural = _("API calls")
        ordering = ["-at"]
        indexes = [models.Index(fields=["client", "-at"], name="api_call_client_recent")]

    def __str__(self):
        return f"{self.method} {self.path} {self.status_code}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed: gave up")


class WebhookDelivery(models.Model):
    client = models.ForeignKey(ApiClient, verbose_name=_("API client"), on_delete=models.CASCADE, related_name="+")
    event_id = models.UUIDField(_("event id"), default=uuid.uuid4, unique=True, editable=False)
    event_type = models.CharField(_("event"), max_length=40)
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    last_status_code = models.PositiveSmallIntegerField(_("last answer"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due")]

    def __str__(self):
        return f"{self.event_type} {self.event_id}"
