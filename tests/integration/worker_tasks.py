"""Tasks that only the integration tests load into their workers (with `celery worker --include`)."""

import os
from pathlib import Path

from celery import shared_task

from enablement.health.services import worker_heartbeat_record


@shared_task(name="tests.crash_once_then_record")
def crash_once_then_record(marker: str, hostname: str) -> None:
    """The first delivery kills the pool process running it; the redelivery records a heartbeat."""
    if not Path(marker).exists():
        Path(marker).write_text("crashed once")
        os._exit(1)
    worker_heartbeat_record(hostname=hostname)


@shared_task(name="tests.record_run")
def record_run(key: str, padding: str = "") -> None:
    """Counts one run under `key` (a heartbeat row per key), so a test can see each task ran exactly once.
    `padding` only makes the message bigger."""
    worker_heartbeat_record(hostname=key)
