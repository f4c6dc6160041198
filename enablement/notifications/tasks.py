"""Reminder tasks: beat's sweeps create reminders and digests, workers deliver them."""

from celery import shared_task

from enablement.notifications.registry import get_kind
from enablement.notifications.services import (
    TRANSIENT_SEND_ERRORS,
    digest_deliver,
    digests_due,
    reminder_deliver,
    reminders_sweep,
)


# Task names are pinned: beat's schedules (rows in the database) and messages already queued name a task by
# where it was first defined, so a task keeps its name when its module moves.
@shared_task(acks_late=True, name="enablement.tasks.sweep_reminders_task")
def sweep_reminders_task(kind_name: str) -> int:
    """Beat runs one of these per reminder kind. Creates due reminders and queues their delivery,
    including deliveries whose task was lost. Safe to run twice at once: the unique key and the claim
    keep each reminder to one email."""
    ready = reminders_sweep(kind=get_kind(kind_name))
    for reminder_id in ready:
        deliver_reminder_task.delay(reminder_id)
    return len(ready)


# Deliveries retry only mail-server and network errors, backing off up to ten minutes between tries.
DELIVERY_TASK_OPTIONS = {
    "bind": True,
    "autoretry_for": TRANSIENT_SEND_ERRORS,
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
    "acks_late": True,
}


@shared_task(**DELIVERY_TASK_OPTIONS, name="enablement.tasks.deliver_reminder_task")
def deliver_reminder_task(self, reminder_id: int) -> str:
    """Emails one reminder; a retry or a redelivery of this task takes back its own claim."""
    return reminder_deliver(
        reminder_id=reminder_id, token=self.request.id or "", final_attempt=self.request.retries >= self.max_retries
    )


@shared_task(acks_late=True, name="enablement.tasks.send_digests_task")
def send_digests_task() -> int:
    """Beat runs this every 15 minutes: one digest email per person whose digest hour has come."""
    people = digests_due()
    for person_id in people:
        deliver_digest_task.delay(person_id)
    return len(people)


@shared_task(**DELIVERY_TASK_OPTIONS, name="enablement.tasks.deliver_digest_task")
def deliver_digest_task(self, person_id: int) -> str:
    return digest_deliver(
        person_id=person_id, token=self.request.id or "", final_attempt=self.request.retries >= self.max_retries
    )
