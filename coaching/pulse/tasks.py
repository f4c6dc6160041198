from celery import shared_task

from coaching.pulse.recurrence import pulses_recur
from coaching.pulse.services import pulses_advance


@shared_task(acks_late=True, name="coaching.pulse.tasks.advance_pulses_task")
def advance_pulses_task() -> None:
    """Schedules this month's pulse of every due monthly series, then opens and closes the pulses whose
    day has come (safe to run twice: each series and each pulse is claimed)."""
    pulses_recur()
    pulses_advance()


ADVANCE_SCHEDULE_NAME = "Pulses: open and close"


def ensure_advance_schedule(**_kwargs) -> None:
    """Beat's schedule for `advance_pulses_task` (every 15 minutes), created after `migrate` when missing,
    never overwritten (as `enablement.bootstrap` does for the platform's own)."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    if PeriodicTask.objects.filter(name=ADVANCE_SCHEDULE_NAME).exists():
        return
    every, _created = IntervalSchedule.objects.get_or_create(every=15 * 60, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(
        name=ADVANCE_SCHEDULE_NAME, task="coaching.pulse.tasks.advance_pulses_task", interval=every, args="[]"
    )
