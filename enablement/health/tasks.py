"""The heartbeat task: proof, for /healthz, that a worker runs the default queue's tasks."""

from celery import shared_task
from django.db import OperationalError

from enablement.health.services import worker_heartbeat_record


# Task names are pinned: beat's schedules (rows in the database) and messages already queued name a task by
# where it was first defined, so a task keeps its name when its module moves.
@shared_task(
    bind=True,
    autoretry_for=(OperationalError,),
    retry_backoff=True,
    max_retries=3,
    name="enablement.tasks.record_worker_heartbeat_task",
)
def record_worker_heartbeat_task(self) -> None:
    """Records that a worker ran a task. Beat schedules it every minute; /healthz reports the last one."""
    worker_heartbeat_record(hostname=self.request.hostname or "unknown")
