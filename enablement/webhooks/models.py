"""Endpoints, the outbox of events, one delivery per (event, endpoint), and a log of every attempt.

The delivery row, not the broker, is the source of truth: a beat sweep sends whatever is due, so a lost
task only delays a delivery.
"""

import base64
import ipaddress
import secrets
import threading
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from enablement.models import TimeStampedModel

SECRET_PREFIX = "whsec_"  # noqa: S105 (the format's prefix, not a secret)
SECRET_BYTES = 32
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_secret() -> str:
    """A signing secret in the Standard Webhooks format: `whsec_` and the base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


_last_id = 0
_id_lock = threading.Lock()


def new_message_id() -> str:
    """`msg_` and a ULID (48 bits of milliseconds, 80 random bits, Crockford base32): unique, and
    sorting by it sorts by time; within one millisecond of one process the ids increase, so the events
    of one `emit` sort in payload order. Receivers use it (the `webhook-id` header) to drop duplicates."""
    global _last_id
    with _id_lock:
        value = (time.time_ns() // 1_000_000) << 80 | secrets.randbits(80)
        if value >> 80 == _last_id >> 80 and value <= _last_id:
            value = _last_id + 1
        _last_id = value
    return "msg_" + "".join(_CROCKFORD[(value >> shift) & 31] for shift in range(125, -1, -5))


def validate_webhook_url(url: str) -> None:
    """An absolute http(s) URL; plain http only for this machine (localhost, 127.0.0.1, ::1) or when
    DEBUG is on: the payloads carry people's data and the signature does not hide it."""
    URLValidator(schemes=["http", "https"])(url)
    parts = urlsplit(url)
    if parts.username or parts.password:
        raise ValidationError(_("Put no user name or password in the URL."), code="credentials")
    if parts.scheme == "http" and not settings.DEBUG and (parts.hostname or "") not in LOCAL_HOSTS:
        raise ValidationError(_("Use https: plain http is only allowed for localhost."), code="insecure")
    if not settings.WEBHOOK_ALLOW_PRIVATE_HOSTS and _names_a_private_host(parts.hostname or ""):
        raise ValidationError(
            _("This is this machine or a private network: webhooks go to receivers on the internet."), code="private"
        )


def _names_a_private_host(hostname: str) -> bool:
    """Whether the host is `localhost` or a non-global IP literal (no DNS lookup here: the sender checks
    what a name resolves to, every time it sends)."""
    if hostname.lower() in {"localhost", "localhost.localdomain"} or hostname.lower().endswith(".localhost"):
        return True
    try:
        return not ipaddress.ip_address(hostname).is_global
    except ValueError:
        return False


class WebhookEndpoint(TimeStampedModel):
    url = models.URLField(_("URL"), max_length=500, validators=[validate_webhook_url])
    description = models.CharField(_("description"), max_length=200, blank=True)
    secret = models.CharField(_("signing secret"), max_length=100, default=new_secret, editable=False)
    previous_secret = models.CharField(max_length=100, blank=True, editable=False)
    previous_secret_expires_at = models.DateTimeField(
        _("previous secret signs until"), null=True, blank=True, editable=False
    )
    event_types = models.JSONField(_("event types"), default=list, blank=True, help_text=_("Empty: every event type."))
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook endpoint")

    def __str__(self) -> str:
        return self.description or self.url

    def clean(self) -> None:
        from enablement.webhooks.events import subscribable_event_types

        known = {event_type.name for event_type in subscribable_event_types()}
        if not isinstance(self.event_types, list) or not all(isinstance(name, str) for name in self.event_types):
            raise ValidationError({"event_types": _("A list of event type names.")})
        unknown = sorted(set(self.event_types) - known)
        if unknown:
            raise ValidationError({"event_types": _("Unknown event types: %(names)s.") % {"names": ", ".join(unknown)}})

    def receives(self, event_type: str) -> bool:
        return not self.event_types or event_type in self.event_types

    @property
    def masked_secret(self) -> str:
        return f"{self.secret[:10]}…" if self.secret else ""


class WebhookEvent(TimeStampedModel):
    """One thing that happened, as it is sent: its id is the `webhook-id` of every request for it."""

    id = models.CharField(primary_key=True, max_length=40, default=new_message_id, editable=False)
    event_type = models.CharField(_("type"), max_length=80)
    payload = models.JSONField(_("payload"))

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["event_type", "-created_at"], name="webhook_event_type_idx")]
        verbose_name = _("webhook event")

    def __str__(self) -> str:
        return f"{self.event_type} {self.id}"


class WebhookDelivery(TimeStampedModel):
    """One event for one endpoint. `attempt_count` and `window_started_at` belong to the current round
    of retries: the first starts with the event, a redelivery starts another."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled (endpoint deactivated)")

    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    next_attempt_at = models.DateTimeField(_("next attempt at"))
    window_started_at = models.DateTimeField(_("retrying since"))
    attempt_count = models.PositiveSmallIntegerField(_("attempts this round"), default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=64, blank=True)
    last_status_code = models.PositiveSmallIntegerField(_("last status"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [models.UniqueConstraint(fields=["event", "endpoint"], name="one_delivery_per_endpoint")]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="webhook_delivery_due_idx"),
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → endpoint {self.endpoint_id} ({self.state})"


class DeliveryAttempt(TimeStampedModel):
    """One POST: what came back (a status code and the start of the body) or why nothing did."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempts")
    started_at = models.DateTimeField(_("when"))
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))
    status_code = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    response_body = models.TextField(_("response (first 1 KB)"), blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("delivery attempt")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M:%S} {self.status_code or self.error}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
