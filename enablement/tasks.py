from celery import shared_task
from django.db import OperationalError

from enablement.services import worker_heartbeat_record


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def record_worker_heartbeat_task(self) -> None:
    """Records that a worker ran a task. Beat schedules it every minute; /healthz reports the last one."""
    worker_heartbeat_record(hostname=self.request.hostname or "unknown")
