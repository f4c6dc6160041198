"""Monthly pulses: one pulse a calendar month per monthly series, its questions rotating through the bank
so that each comes round once a quarter.

The rotation is the calendar's, not the series': the active bank (less the check-back question, which
the platform adds itself) in bank order, dealt into three sets (the 1st, 4th, 7th… question; the 2nd,
5th…; the 3rd, 6th…), and month m of the year asks set m mod 3. Every team asks the same questions in a
month, so roll-ups pool like with like. With 12-18 active questions each set has 4-6 and every question
comes round exactly once a quarter; a smaller bank tops a set up from the next ones (some come more
often), a larger one asks 6 of a set, turning through it quarter by quarter.

When the next pulse is due lives in the database (`PulseSeries.next_pulse_on`, the first of the next
month); the beat sweep (`pulses_recur`, run by `advance_pulses_task`) claims each due series with a
conditional update, so a series gets its pulse once however many sweeps run.
"""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from coaching.models import Pulse, PulseQuestion, PulseSeries
from coaching.pulse.services import MAX_QUESTIONS, MIN_QUESTIONS

logger = logging.getLogger(__name__)
SETS = 3
DEFAULT_OPEN_DAYS = 7


def next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def rotation_for(day: datetime.date) -> list[PulseQuestion]:
    """The questions a monthly pulse opening on `day` asks (4-6, in bank order)."""
    bank = list(PulseQuestion.objects.filter(is_active=True).exclude(scale=PulseQuestion.Scale.CHECK_BACK))
    if len(bank) < MIN_QUESTIONS:
        return bank  # the schedule refuses it, naming the reason
    month = day.year * 12 + day.month - 1
    chosen = bank[month % SETS :: SETS]
    if len(chosen) > MAX_QUESTIONS:
        turn = (month // SETS * MAX_QUESTIONS) % len(chosen)
        chosen = (chosen[turn:] + chosen[:turn])[:MAX_QUESTIONS]
    for question in bank[month % SETS :] + bank[: month % SETS]:
        if len(chosen) >= MIN_QUESTIONS:
            break
        if question not in chosen:
            chosen.append(question)
    return sorted(chosen, key=lambda question: (question.position, question.key))


def _open_days(series: PulseSeries) -> int:
    latest = series.pulses.order_by("-opens_on", "-pk").first()
    return (latest.closes_on - latest.opens_on).days if latest else DEFAULT_OPEN_DAYS


def pulse_recur(*, series: PulseSeries, today: datetime.date) -> Pulse | None:
    """Schedules the monthly pulse of a due series (opening today, as long as its last one did), after
    claiming it: moves `next_pulse_on` to the first of next month only if it is still the value read, so
    a second sweep holding the same series does nothing. Returns the pulse, or None when another sweep
    claimed it or nobody is left to ask (the series then waits for next month); a subject who left stops
    the series."""
    from coaching.pulse.services import pulse_schedule

    with transaction.atomic():
        claimed = PulseSeries.objects.filter(
            pk=series.pk,
            cadence=PulseSeries.Cadence.MONTHLY,
            next_pulse_on=series.next_pulse_on,
            next_pulse_on__lte=today,
        ).update(next_pulse_on=next_month(today), updated_at=timezone.now())
        if not claimed:
            return None
        if series.subject.is_terminated:
            PulseSeries.objects.filter(pk=series.pk).update(cadence=PulseSeries.Cadence.ONCE, next_pulse_on=None)
            return None
        try:
            with transaction.atomic():  # a refusal undoes the pulse, not the claim
                return pulse_schedule(
                    subject=series.subject,
                    kind=series.kind,
                    cadence=PulseSeries.Cadence.MONTHLY,
                    opens_on=today,
                    closes_on=today + datetime.timedelta(days=_open_days(series)),
                    questions=rotation_for(today),
                    by=None,
                    today=today,
                )
        except ValidationError as error:
            logger.warning("Monthly pulse of series %s not scheduled this month: %s", series.pk, error.messages)
            return None


def pulses_recur(*, today: datetime.date | None = None) -> int:
    """The beat sweep: schedules this month's pulse of every due monthly series; returns how many. Safe to
    run twice or in two workers at once."""
    today = today or timezone.localdate()
    due = PulseSeries.objects.filter(cadence=PulseSeries.Cadence.MONTHLY, next_pulse_on__lte=today)
    return sum(pulse_recur(series=series, today=today) is not None for series in due.select_related("subject"))
