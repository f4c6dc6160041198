"""Every write to webhook endpoints and deliveries, each in one transaction. Secrets never reach a log."""

import datetime
import logging
from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from enablement.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent, new_secret
from enablement.webhooks.outbox import emit

logger = logging.getLogger("enablement.webhooks")

State = WebhookDelivery.State
ENDPOINT_FIELDS = ("url", "description", "event_types")
TEST_MESSAGE = "A test event from the sales-manager enablement platform."


def _save_validated(endpoint: WebhookEndpoint, fields: Sequence[str]) -> None:
    endpoint.full_clean()
    endpoint.save(update_fields=[*fields, "updated_at"] if endpoint.pk else None)


@transaction.atomic
def endpoint_create(
    *, url: str, description: str = "", event_types: Sequence[str] = (), by: AbstractBaseUser | None
) -> WebhookEndpoint:
    """Creates an active endpoint with a new signing secret. Raises ValidationError for a URL that is not
    https (unless local or DEBUG) or an unknown event type."""
    endpoint = WebhookEndpoint(url=url, description=description, event_types=sorted(set(event_types)), created_by=by)
    _save_validated(endpoint, ENDPOINT_FIELDS)
    logger.info("webhook.endpoint_created endpoint=%s by=%s", endpoint.pk, getattr(by, "pk", None))
    return endpoint


@transaction.atomic
def endpoint_update(
    *, endpoint: WebhookEndpoint, url: str, description: str, event_types: Sequence[str], by: AbstractBaseUser
) -> WebhookEndpoint:
    """Changes where and what an endpoint receives; saves only what changed. Deliveries already written
    keep going to the endpoint (at its new URL)."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    values = {"url": url, "description": description, "event_types": sorted(set(event_types))}
    changed = [name for name, value in values.items() if getattr(endpoint, name) != value]
    if changed:
        for name in changed:
            setattr(endpoint, name, values[name])
        _save_validated(endpoint, changed)
        logger.info("webhook.endpoint_updated endpoint=%s fields=%s by=%s", endpoint.pk, ",".join(changed), by.pk)
    return endpoint


@transaction.atomic
def endpoint_set_active(*, endpoint: WebhookEndpoint, active: bool, by: AbstractBaseUser) -> WebhookEndpoint:
    """Deactivating stops new events for the endpoint and cancels its pending deliveries (a delivery being
    sent finishes its attempt). Activating takes events from then on. Idempotent."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    if endpoint.is_active == active:
        return endpoint
    endpoint.is_active = active
    endpoint.save(update_fields=["is_active", "updated_at"])
    if not active:
        endpoint.deliveries.filter(state=State.PENDING).update(state=State.CANCELLED, updated_at=timezone.now())
    logger.info("webhook.endpoint_%s endpoint=%s by=%s", "activated" if active else "deactivated", endpoint.pk, by.pk)
    return endpoint


@transaction.atomic
def endpoint_rotate_secret(
    *, endpoint: WebhookEndpoint, by: AbstractBaseUser | None, grace: datetime.timedelta | None = None
) -> WebhookEndpoint:
    """Gives the endpoint a new secret. The current one becomes the previous secret and keeps signing
    beside the new one (two signatures in `webhook-signature`) for `grace` (WEBHOOK_SECRET_GRACE_HOURS,
    24 h, by default), so the receiver can switch without missing a beat; a zero grace drops it at once.
    A secret rotated out earlier and still in its grace period is dropped now."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    grace = datetime.timedelta(hours=settings.WEBHOOK_SECRET_GRACE_HOURS) if grace is None else grace
    now = timezone.now()
    keep_old = grace > datetime.timedelta(0)
    endpoint.previous_secret = endpoint.secret if keep_old else ""
    endpoint.previous_secret_expires_at = now + grace if keep_old else None
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at", "updated_at"])
    logger.info(
        "webhook.secret_rotated endpoint=%s grace_s=%d by=%s",
        endpoint.pk,
        grace.total_seconds(),
        getattr(by, "pk", None),
    )
    return endpoint


@transaction.atomic
def webhook_send_test(*, endpoint: WebhookEndpoint, by: AbstractBaseUser) -> WebhookDelivery:
    """Sends a `webhook.test` event to this endpoint only, whatever its filter. Raises ValidationError for
    an inactive endpoint."""
    if not endpoint.is_active:
        raise ValidationError(_("Activate the endpoint before sending it a test event."))
    emit("webhook.test", [{"endpoint_id": endpoint.pk, "message": TEST_MESSAGE}], endpoints=[endpoint])
    delivery = WebhookDelivery.objects.filter(endpoint=endpoint, event__event_type="webhook.test").latest("created_at")
    logger.info("webhook.test_sent endpoint=%s delivery=%s by=%s", endpoint.pk, delivery.pk, by.pk)
    return delivery


@transaction.atomic
def delivery_redeliver(*, delivery: WebhookDelivery, by: AbstractBaseUser | None) -> WebhookDelivery:
    """Sends the event to the endpoint again now, whatever its state (delivered, failed, cancelled or
    pending), with the same `webhook-id` and body, starting a fresh round of retries. Raises
    ValidationError while another worker is sending it, or if the endpoint is inactive."""
    now = timezone.now()
    if not WebhookEndpoint.objects.filter(pk=delivery.endpoint_id, is_active=True).exists():
        raise ValidationError(_("Activate the endpoint before redelivering to it."))
    in_progress = {
        "state": State.SENDING,
        "claimed_at__gte": now - datetime.timedelta(seconds=settings.WEBHOOK_CLAIM_LEASE_SECONDS),
    }
    updated = (
        WebhookDelivery.objects.filter(pk=delivery.pk)
        .exclude(**in_progress)
        .update(
            state=State.PENDING,
            attempt_count=0,
            window_started_at=now,
            next_attempt_at=now,
            claim_token="",
            claimed_at=None,
            updated_at=now,
        )
    )
    if not updated:
        raise ValidationError(_("This delivery is being sent right now; look again in a moment."))
    transaction.on_commit(lambda: _deliver_now(delivery.pk), robust=True)  # the sweep sends it if the broker is down
    logger.info("webhook.redeliver delivery=%s by=%s", delivery.pk, getattr(by, "pk", None))
    delivery.refresh_from_db()
    return delivery


def _deliver_now(delivery_id: int) -> None:
    from enablement.webhooks.tasks import deliver_webhook_task

    deliver_webhook_task.delay(delivery_id)


def deliveries_redeliver(*, delivery_ids: Sequence[int], by: AbstractBaseUser | None) -> int:
    """Redelivers each delivery it can (see `delivery_redeliver`); returns how many."""
    count = 0
    for delivery in WebhookDelivery.objects.filter(pk__in=delivery_ids):
        try:
            delivery_redeliver(delivery=delivery, by=by)
        except ValidationError:
            continue
        count += 1
    return count


def webhook_events_purge(*, now: datetime.datetime | None = None) -> int:
    """Deletes events older than WEBHOOK_RETENTION_DAYS with their deliveries and attempts, except those
    with a delivery still pending or being sent. Returns how many events went."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.WEBHOOK_RETENTION_DAYS)
    busy = WebhookDelivery.objects.filter(event=OuterRef("pk"), state__in=[State.PENDING, State.SENDING])
    old = WebhookEvent.objects.filter(created_at__lt=cutoff).exclude(Exists(busy))
    deleted, by_model = old.delete()
    return by_model.get(WebhookEvent._meta.label, 0)
