"""Webhook tasks. Receivers' errors are not task errors: a failed POST is logged and rescheduled in the
database (WEBHOOK_RETRY_SCHEDULE), and the sweep sends what is due. Only database hiccups retry the task."""

import uuid

from celery import shared_task
from django.db import OperationalError

from enablement.webhooks.delivery import deliveries_due, delivery_send
from enablement.webhooks.models import WebhookDelivery
from enablement.webhooks.services import webhook_events_purge

DISPATCH_CHUNK = 500
DATABASE_RETRY = {"autoretry_for": (OperationalError,), "retry_backoff": True, "max_retries": 3}


# Task names are pinned: beat's schedules (rows in the database) and messages already queued name a task by
# where it was first defined, so a task keeps its name when its module moves.
@shared_task(bind=True, acks_late=True, **DATABASE_RETRY, name="enablement.webhooks.tasks.deliver_webhook_task")
def deliver_webhook_task(self, delivery_id: int) -> str:
    """One attempt at one delivery, if it is due. Safe to run twice: the claim lets one run send."""
    return delivery_send(delivery_id=delivery_id, token=self.request.id or uuid.uuid4().hex)


@shared_task(acks_late=True, **DATABASE_RETRY, name="enablement.webhooks.tasks.dispatch_webhook_events_task")
def dispatch_webhook_events_task(event_ids: list[str]) -> int:
    """Queued when a transaction that emitted events commits: one delivery task per pending delivery of
    those events. The request that emitted them publishes this one message, however many events."""
    count = 0
    for start in range(0, len(event_ids), DISPATCH_CHUNK):
        pending = WebhookDelivery.objects.filter(
            event_id__in=event_ids[start : start + DISPATCH_CHUNK], state=WebhookDelivery.State.PENDING
        )
        for delivery_id in pending.values_list("pk", flat=True):
            deliver_webhook_task.delay(delivery_id)
            count += 1
    return count


@shared_task(acks_late=True, **DATABASE_RETRY, name="enablement.webhooks.tasks.sweep_webhook_deliveries_task")
def sweep_webhook_deliveries_task() -> int:
    """Beat runs this every 30 s: queues every delivery that is due (retries, lost tasks, claims of
    workers that died). Safe to overlap with itself: the claim keeps each attempt to one worker."""
    ready = deliveries_due()
    for delivery_id in ready:
        deliver_webhook_task.delay(delivery_id)
    return len(ready)


@shared_task(acks_late=True, **DATABASE_RETRY, name="enablement.webhooks.tasks.purge_webhook_events_task")
def purge_webhook_events_task() -> int:
    """Beat runs this daily: events older than WEBHOOK_RETENTION_DAYS go, with their deliveries."""
    return webhook_events_purge()
