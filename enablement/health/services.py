"""The heartbeat's one write."""

from django.db.models import F
from django.utils import timezone

from enablement.models import WorkerHeartbeat


def worker_heartbeat_record(*, hostname: str) -> WorkerHeartbeat:
    """Counts one beat for `hostname` with an atomic increment, so concurrent beats are all counted.

    Deliberately not idempotent: it is a liveness counter, and a redelivered beat is still a beat.
    """
    now = timezone.now()
    heartbeat, created = WorkerHeartbeat.objects.get_or_create(
        hostname=hostname, defaults={"beats": 1, "last_seen_at": now}
    )
    if not created:
        WorkerHeartbeat.objects.filter(pk=heartbeat.pk).update(beats=F("beats") + 1, last_seen_at=now, updated_at=now)
    return heartbeat
