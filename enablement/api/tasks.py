"""The API's housekeeping: pruning the request log and expired Idempotency-Keys."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import OperationalError

from enablement.api.clients.services import api_request_log_prune
from enablement.api.idempotency import idempotency_records_purge


# Task names are pinned: beat's schedules (rows in the database) and messages already queued name a task by
# where it was first defined, so a task keeps its name when its module moves.
@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
    acks_late=True,
    name="enablement.tasks.prune_api_request_log_task",
)
def prune_api_request_log_task() -> int:
    """Beat runs this daily: deletes the API request log older than `API_REQUEST_LOG_RETENTION_DAYS`, in
    batches; returns how many rows. Safe to run twice, or beside a running one: each deletes what is left."""
    return api_request_log_prune(older_than=timedelta(days=settings.API_REQUEST_LOG_RETENTION_DAYS))


@shared_task(
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
    acks_late=True,
    name="enablement.tasks.purge_idempotency_records_task",
)
def purge_idempotency_records_task() -> int:
    """Beat runs this hourly: deletes Idempotency-Key records past their 24 hours (`manage.py
    purge_idempotency_records` does the same by hand)."""
    return idempotency_records_purge()
