from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import OperationalError

from enablement.api.clients.services import api_request_log_prune
from enablement.api.idempotency import idempotency_records_purge
from enablement.notifications.registry import get_kind
from enablement.notifications.services import (
    TRANSIENT_SEND_ERRORS,
    digest_deliver,
    digests_due,
    reminder_deliver,
    reminders_sweep,
)
from enablement.org.services import worker_heartbeat_record


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def record_worker_heartbeat_task(self) -> None:
    """Records that a worker ran a task. Beat schedules it every minute; /healthz reports the last one."""
    worker_heartbeat_record(hostname=self.request.hostname or "unknown")


@shared_task(acks_late=True)
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


@shared_task(**DELIVERY_TASK_OPTIONS)
def deliver_reminder_task(self, reminder_id: int) -> str:
    """Emails one reminder; a retry or a redelivery of this task takes back its own claim."""
    return reminder_deliver(
        reminder_id=reminder_id, token=self.request.id or "", final_attempt=self.request.retries >= self.max_retries
    )


@shared_task(acks_late=True)
def send_digests_task() -> int:
    """Beat runs this every 15 minutes: one digest email per person whose digest hour has come."""
    people = digests_due()
    for person_id in people:
        deliver_digest_task.delay(person_id)
    return len(people)


@shared_task(**DELIVERY_TASK_OPTIONS)
def deliver_digest_task(self, person_id: int) -> str:
    return digest_deliver(
        person_id=person_id, token=self.request.id or "", final_attempt=self.request.retries >= self.max_retries
    )


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3, acks_late=True)
def prune_api_request_log_task() -> int:
    """Beat runs this daily: deletes the API request log older than `API_REQUEST_LOG_RETENTION_DAYS`, in
    batches; returns how many rows. Safe to run twice, or beside a running one: each deletes what is left."""
    return api_request_log_prune(older_than=timedelta(days=settings.API_REQUEST_LOG_RETENTION_DAYS))


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3, acks_late=True)
def purge_idempotency_records_task() -> int:
    """Beat runs this hourly: deletes Idempotency-Key records past their 24 hours (`manage.py
    purge_idempotency_records` does the same by hand)."""
    return idempotency_records_purge()
