"""What /healthz reports about the workers: when one last ran the heartbeat task, and whether that is
recent enough (WORKER_HEARTBEAT_MAX_AGE_SECONDS; README, "Running on PostgreSQL and Redis")."""

import datetime

from django.conf import settings
from django.utils import timezone

from enablement.models import WorkerHeartbeat


def worker_health(*, now: datetime.datetime | None = None) -> dict:
    """`worker` is "ok" when a worker ran the heartbeat within the threshold, "stale" when the last one is
    older (workers down, or the default queue backed up), "missing" when none ever ran. One query."""
    now = now or timezone.now()
    max_age = settings.WORKER_HEARTBEAT_MAX_AGE_SECONDS
    last_seen = WorkerHeartbeat.objects.order_by("-last_seen_at").values_list("last_seen_at", flat=True).first()
    if last_seen is None:
        state, age = "missing", None
    else:
        age = max(0, int((now - last_seen).total_seconds()))
        state = "ok" if age <= max_age else "stale"
    return {
        "worker": state,
        "worker_last_seen_at": last_seen.isoformat() if last_seen else None,
        "worker_heartbeat_age_seconds": age,
        "worker_heartbeat_max_age_seconds": max_age,
    }
