"""Sending deliveries: claim one, sign it, POST it, log the attempt, and schedule the next try.

A delivery is claimed with a conditional UPDATE (pending and due, or sending under a claim older than
WEBHOOK_CLAIM_LEASE_SECONDS), the same on SQLite and PostgreSQL, so two workers never send it at the same
time. Delivery is at least once: a worker that dies after the receiver answered but before the result
was saved leaves a claim the sweep takes over, and the event is sent again with the same `webhook-id`.
"""

import datetime
import json
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from standardwebhooks import Webhook

from enablement.webhooks.models import DeliveryAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from enablement.webhooks.transport import Response, post

logger = logging.getLogger("enablement.webhooks")

State = WebhookDelivery.State
USER_AGENT = "enablement-webhooks/1"


def isoformat(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def envelope_body(event: WebhookEvent) -> str:
    """The request body: the same bytes on every attempt, so a receiver may hash it."""
    envelope = {"type": event.event_type, "timestamp": isoformat(event.created_at), "data": event.payload}
    return json.dumps(envelope, separators=(",", ":"), ensure_ascii=False)


def live_secrets(endpoint: WebhookEndpoint, now: datetime.datetime) -> list[str]:
    """The current secret, then the previous one while its grace period after a rotation lasts."""
    secrets = [endpoint.secret]
    if endpoint.previous_secret and endpoint.previous_secret_expires_at and endpoint.previous_secret_expires_at > now:
        secrets.append(endpoint.previous_secret)
    return secrets


def signature_headers(*, message_id: str, body: str, secrets: list[str], at: datetime.datetime) -> dict[str, str]:
    """Standard Webhooks headers: one `v1,<base64 HMAC-SHA256>` per secret, space-separated, over
    `<webhook-id>.<webhook-timestamp>.<body>`."""
    timestamp = datetime.datetime.fromtimestamp(int(at.timestamp()), tz=datetime.UTC)
    signatures = " ".join(Webhook(secret).sign(message_id, timestamp, body) for secret in secrets)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": signatures,
    }


def max_attempts() -> int:
    return len(settings.WEBHOOK_RETRY_SCHEDULE) + 1


def next_attempt_time(
    *, attempt_count: int, window_started_at: datetime.datetime, now: datetime.datetime
) -> datetime.datetime | None:
    """When to try again after the `attempt_count`-th failed attempt of a round, or None to give up.
    The wait comes from WEBHOOK_RETRY_SCHEDULE, capped so the last attempt falls within
    WEBHOOK_RETRY_WINDOW_HOURS of the round's start."""
    schedule = settings.WEBHOOK_RETRY_SCHEDULE
    deadline = window_started_at + datetime.timedelta(hours=settings.WEBHOOK_RETRY_WINDOW_HOURS)
    if attempt_count > len(schedule) or now >= deadline:
        return None
    return min(now + datetime.timedelta(seconds=schedule[attempt_count - 1]), deadline)


def _lease_cutoff(now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(seconds=settings.WEBHOOK_CLAIM_LEASE_SECONDS)


def _claim(delivery_id: int, token: str, now: datetime.datetime) -> bool:
    """Takes the delivery for this attempt: due and pending, or left sending by a worker whose lease ran
    out. Exactly one of several concurrent callers gets it."""
    stale = _lease_cutoff(now)
    claimable = Q(state=State.PENDING, next_attempt_at__lte=now) | Q(state=State.SENDING, claimed_at__lt=stale)
    return (
        WebhookDelivery.objects.filter(pk=delivery_id, attempt_count__lt=max_attempts())
        .filter(claimable)
        .update(
            state=State.SENDING, claimed_at=now, claim_token=token, attempt_count=F("attempt_count") + 1, updated_at=now
        )
        == 1
    )


def delivery_send(*, delivery_id: int, token: str, now: datetime.datetime | None = None) -> str:
    """Makes one attempt at a delivery if it is due, and records it. Idempotent: a delivery that is not
    due, already delivered or failed, or being sent by another worker is left alone ("skipped").
    Returns "delivered", "retrying" (pending again, with its next time set), "failed" (no tries left),
    "cancelled" (its endpoint was deactivated) or "skipped". Never raises for the receiver's errors.
    `now` makes it act as if it were then (the schedule follows from it); by default, the clock."""
    offset = (now - timezone.now()) if now else datetime.timedelta(0)
    now = timezone.now() + offset
    if not _claim(delivery_id, token, now):
        return "skipped"
    delivery = WebhookDelivery.objects.select_related("event", "endpoint").get(pk=delivery_id)
    endpoint = delivery.endpoint
    if not endpoint.is_active:
        _held(delivery_id, token).update(state=State.CANCELLED, claim_token="", updated_at=timezone.now())
        return "cancelled"
    body = envelope_body(delivery.event)
    started_at = timezone.now() + offset
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        **signature_headers(
            message_id=delivery.event_id, body=body, secrets=live_secrets(endpoint, started_at), at=started_at
        ),
    }
    response = post(endpoint.url, body.encode(), headers, timeout=settings.WEBHOOK_TIMEOUT_SECONDS)
    return _record(delivery, token, started_at, response, finished_at=timezone.now() + offset)


def _held(delivery_id: int, token: str):
    """The delivery, only while this attempt still holds its claim."""
    return WebhookDelivery.objects.filter(pk=delivery_id, state=State.SENDING, claim_token=token)


def _record(
    delivery: WebhookDelivery,
    token: str,
    started_at: datetime.datetime,
    response: Response,
    *,
    finished_at: datetime.datetime,
) -> str:
    outcome_fields = {
        "last_status_code": response.status_code,
        "last_error": response.error,
        "claim_token": "",
        "updated_at": finished_at,
    }
    if response.ok:
        outcome, next_at = "delivered", None
        outcome_fields |= {"state": State.DELIVERED, "delivered_at": finished_at}
    else:
        next_at = next_attempt_time(
            attempt_count=delivery.attempt_count, window_started_at=delivery.window_started_at, now=finished_at
        )
        outcome = "retrying" if next_at else "failed"
        outcome_fields |= {"state": State.PENDING, "next_attempt_at": next_at} if next_at else {"state": State.FAILED}
    with transaction.atomic():
        DeliveryAttempt.objects.create(
            delivery=delivery,
            started_at=started_at,
            duration_ms=response.duration_ms,
            status_code=response.status_code,
            error=response.error,
            response_body=response.body,
        )
        held = _held(delivery.pk, token).update(**outcome_fields)
    logger.info(
        "webhook.attempt delivery=%s event=%s type=%s endpoint=%s attempt=%s status=%s error=%r duration_ms=%s "
        "outcome=%s",
        delivery.pk,
        delivery.event_id,
        delivery.event.event_type,
        delivery.endpoint_id,
        delivery.attempt_count,
        response.status_code,
        response.error,
        response.duration_ms,
        outcome,
    )
    if not held:
        # The lease ran out mid-attempt and the sweep handed the delivery to another worker.
        return "superseded"
    if next_at is not None:
        _schedule_soon(delivery.pk, next_at, finished_at)
    return outcome


def _schedule_soon(delivery_id: int, next_at: datetime.datetime, now: datetime.datetime) -> None:
    """A retry due before the next sweep is queued with a countdown (seconds, never far in the future:
    see the Celery section of the house style); later ones wait for the sweep."""
    from enablement.webhooks.tasks import deliver_webhook_task

    delay = (next_at - now).total_seconds()
    if delay <= settings.WEBHOOK_SWEEP_INTERVAL_SECONDS:
        deliver_webhook_task.apply_async(args=[delivery_id], countdown=max(delay, 0))


def deliveries_due(*, now: datetime.datetime | None = None, limit: int = 1000) -> list[int]:
    """The deliveries to attempt now, oldest due first, marked as queued: pending ones whose time has come
    and that were not queued in the last WEBHOOK_REQUEUE_AFTER_SECONDS (a fresh event's dispatch or a
    short retry's countdown is on its way), and ones left sending by a worker that died (lease expired).
    Deliveries whose last attempt's worker died are marked failed. Also drops previous secrets whose
    grace period is over. A fixed number of queries."""
    now = now or timezone.now()
    stale = _lease_cutoff(now)
    queued_recently = now - datetime.timedelta(seconds=settings.WEBHOOK_REQUEUE_AFTER_SECONDS)
    WebhookDelivery.objects.filter(state=State.SENDING, claimed_at__lt=stale, attempt_count__gte=max_attempts()).update(
        state=State.FAILED, claim_token="", last_error="The worker stopped during the last attempt.", updated_at=now
    )
    # Pending ones that used every attempt a shortened WEBHOOK_RETRY_SCHEDULE allows can never be claimed.
    WebhookDelivery.objects.filter(state=State.PENDING, attempt_count__gte=max_attempts()).update(
        state=State.FAILED, last_error="No attempts left under the current retry schedule.", updated_at=now
    )
    WebhookEndpoint.objects.filter(previous_secret_expires_at__lte=now).update(
        previous_secret="", previous_secret_expires_at=None, updated_at=now
    )
    due = WebhookDelivery.objects.filter(
        Q(state=State.PENDING, next_attempt_at__lte=now, updated_at__lt=queued_recently)
        | Q(state=State.SENDING, claimed_at__lt=stale)
    )
    ids = list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
    WebhookDelivery.objects.filter(pk__in=ids, state=State.PENDING).update(updated_at=now)
    return ids
