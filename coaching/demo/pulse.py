"""The team pulse demo step, after the coaching step (registered by `coaching.pulse.registration`): pulses
about eleven of the twelve demo managers, an upward pulse about director1, and the recognition feed
(`coaching.demo.recognition`).

What it shows, each through the services (ballots answered one by one, released at close) and so under the
rules of `coaching.pulse.selectors`:

- closed pulses for most teams, with a realistic spread of scores (a team strong on clarity and weak on
  support, a struggling one, a thriving one);
- manager1's team: a pulse seven weeks ago, the manager's "you said / we will", the next pulse asking whether
  it happened (the check-back shows beside the action), and a pulse open now that seller1 has not answered;
- manager7's team: three answered, on questions no other team asked, so nothing shows (below the threshold)
  and no roll-up can give it away;
- manager8's team: three answered six weeks ago and four others last week: neither pulse shows alone, the
  90-day result (seven people) does;
- manager12's team: a monthly series whose first pulse opens next week;
- director1: the upward pulse from the six managers reporting to them, five answered.

Keyed by the series (a team or upward series that has any pulse is left as it is), so running it twice
changes nothing. Dates are relative to the day it first runs.
"""

import datetime
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from coaching.demo.recognition import seed_recognition_feed
from coaching.models import FeedbackAction, Pulse, PulseQuestion, PulseSeries
from coaching.pulse import services
from coaching.pulse.selectors import SHOWN, PulseResults
from enablement.models import Person
from managers.models import Competency

COMMON = ("priorities", "call-feedback", "partners-support", "psychological-safety", "enps")
OWN = ("success-looks-like", "development-talk", "obstacles-resolved", "recognised")
OPEN_DAYS = 6


@dataclass(frozen=True)
class ActionSpec:
    question: str
    you_said: str
    we_will: str
    due_in_days: int
    done: bool = False


@dataclass(frozen=True)
class PulseSpec:
    """One pulse: it closed `closed_days_ago` (negative: still open, closing in that many days), asked
    `questions`, and the people at `respondents` (positions in who was asked) answered around `levels`
    (lever or question key: a 1-5 level; "enps": 0-10)."""

    closed_days_ago: int
    respondents: Sequence[int]
    levels: dict = field(default_factory=dict)
    questions: Sequence[str] = COMMON
    comments: Sequence[str] = ()
    action: ActionSpec | None = None


@dataclass(frozen=True)
class SeriesSpec:
    subject: str
    pulses: Sequence[PulseSpec]
    kind: str = PulseSeries.Kind.TEAM
    cadence: str = PulseSeries.Cadence.ONCE


STEADY = {"clarity": 4.1, "skills": 3.6, "support": 3.4, "engagement": 4.0, "enps": 8}
SPECS = (
    SeriesSpec(
        "manager1",
        [
            PulseSpec(
                52,
                range(1, 7),
                {**STEADY, "skills": 2.6},
                action=ActionSpec(
                    "call-feedback",
                    "Feedback on our calls is rare, and it comes weeks after the call.",
                    "Every Friday I review one recorded call with each of you, within a day of the call.",
                    28,
                    done=True,
                ),
            ),
            PulseSpec(6, range(1, 7), {**STEADY, "skills": 3.9, "check-back": 2.8}),
            PulseSpec(-4, range(4, 7), STEADY),  # open: seller1 (position 0) has not answered
        ],
    ),
    SeriesSpec(
        "manager2",
        [
            PulseSpec(
                5,
                range(0, 6),
                {"clarity": 4.5, "skills": 3.9, "support": 2.4, "engagement": 3.8, "enps": 7},
                comments=(
                    "Marketing leads arrive without context; we re-qualify everything.",
                    "Legal review takes weeks on every enterprise deal.",
                ),
            ),
        ],
    ),
    SeriesSpec(
        "manager3",
        [
            PulseSpec(
                40,
                range(0, 5),
                {**STEADY, "support": 2.5},
                action=ActionSpec(
                    "partners-support",
                    "We do not get what we need from marketing and customer success.",
                    "A monthly pipeline sync with marketing and CS, where I bring the blockers you name.",
                    21,
                    done=True,
                ),
            ),
            PulseSpec(6, range(0, 5), {**STEADY, "support": 3.3, "check-back": 2.4}),
        ],
    ),
    SeriesSpec("manager4", [PulseSpec(6, range(0, 7), {**STEADY, "clarity": 3.2, "enps": 6})]),
    SeriesSpec("manager5", [PulseSpec(4, range(0, 5), STEADY)]),
    SeriesSpec(
        "manager6",
        [
            PulseSpec(6, range(0, 6), {"clarity": 2.7, "skills": 2.5, "support": 2.9, "engagement": 2.8, "enps": 4}),
        ],
    ),
    SeriesSpec("manager7", [PulseSpec(5, range(0, 3), STEADY, questions=OWN)]),
    SeriesSpec("manager8", [PulseSpec(45, range(4, 7), STEADY), PulseSpec(5, range(0, 4), STEADY)]),
    SeriesSpec(
        "manager9",
        [
            PulseSpec(6, range(0, 6), {"clarity": 4.6, "skills": 4.4, "support": 4.1, "engagement": 4.6, "enps": 9}),
        ],
    ),
    SeriesSpec("manager10", [PulseSpec(4, range(1, 6), {**STEADY, "engagement": 3.3})]),
    SeriesSpec("manager11", [PulseSpec(6, range(0, 6), {**STEADY, "skills": 4.2, "support": 3.0})]),
    SeriesSpec("manager12", [PulseSpec(-13, (), STEADY)], cadence=PulseSeries.Cadence.MONTHLY),  # opens in a week
    SeriesSpec(
        "director1",
        [
            PulseSpec(5, range(0, 5), {"clarity": 3.6, "skills": 3.1, "support": 4.0, "engagement": 3.9, "enps": 7}),
        ],
        kind=PulseSeries.Kind.UPWARD,
    ),
)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


def _value(question: PulseQuestion, levels: dict, rng: random.Random) -> int:
    if question.scale == PulseQuestion.Scale.ENPS:
        return max(0, min(10, round(levels.get("enps", 8) + rng.choice((-2, -1, 0, 0, 1, 2)))))
    if question.scale == PulseQuestion.Scale.CHECK_BACK:
        return max(1, min(3, round(levels.get("check-back", 2.5) + rng.choice((-0.5, 0, 0.5)))))
    level = levels.get(question.key, levels.get(question.lever, 3.5))
    return max(1, min(5, round(level + rng.choice((-1, -0.5, 0, 0, 0.5, 1)))))


def _run(series_spec: SeriesSpec, spec: PulseSpec, subject: Person, index: int, today: datetime.date) -> Pulse:
    """Schedules the pulse as it was on the day it opened, answers it, and closes it on its last day."""
    closes_on = today - datetime.timedelta(days=spec.closed_days_ago)
    opens_on = closes_on - datetime.timedelta(days=OPEN_DAYS)
    questions = list(PulseQuestion.objects.filter(key__in=spec.questions).order_by("position"))
    pulse = services.pulse_schedule(
        subject=subject,
        kind=series_spec.kind,
        cadence=series_spec.cadence,
        opens_on=opens_on,
        closes_on=closes_on,
        questions=questions,
        by=subject.user,
        today=min(opens_on, today),
    )
    if pulse.state == Pulse.State.SCHEDULED:
        return pulse
    asked = [invitation.person for invitation in pulse.invitations.select_related("person").order_by("person_id")]
    items = [item.question for item in pulse.items.select_related("question")]
    rng = random.Random(f"{series_spec.subject}-{index}")  # noqa: S311 - demo scores, not secrets
    comments = list(spec.comments)
    for position in spec.respondents:
        answers = {question.pk: _value(question, spec.levels, rng) for question in items}
        services.pulse_answer(
            pulse=pulse, person=asked[position], answers=answers, comment=comments.pop() if comments else ""
        )
    if spec.closed_days_ago > 0:
        services.pulse_close(pulse=pulse, now=_at(closes_on + datetime.timedelta(days=1), 6))
        pulse.refresh_from_db()
        if spec.action is not None:
            _act(pulse, spec.action, subject)
    return pulse


def _act(pulse: Pulse, spec: ActionSpec, subject: Person) -> None:
    action = services.feedback_action_add(
        pulse=pulse,
        question=PulseQuestion.objects.get(key=spec.question),
        you_said=spec.you_said,
        we_will=spec.we_will,
        owner=subject,
        due_on=pulse.closes_on + datetime.timedelta(days=spec.due_in_days),
        by=subject.user,
    )
    if spec.done:
        services.feedback_action_done(action=action, by=subject.user)


@transaction.atomic
def seed_pulse_demo() -> list[str]:
    """Builds the demo pulses and the recognition feed on the demo org; returns a summary to print.
    Idempotent: a series with a pulse, and a recognition found again, are left as they are."""
    from coaching.pulse.question_bank import question_bank_load

    question_bank_load(PulseQuestion, Competency)  # the migration's, or back after a flush
    today = timezone.localdate()
    people = {
        person.user.username: person
        for person in Person.objects.filter(user__username__in=[spec.subject for spec in SPECS]).select_related("user")
        if not person.is_terminated
    }
    for series_spec in SPECS:
        subject = people.get(series_spec.subject)
        if subject is None or Pulse.objects.filter(series__subject=subject, series__kind=series_spec.kind).exists():
            continue
        for index, spec in enumerate(series_spec.pulses):
            _run(series_spec, spec, subject, index, today)
    recognitions = seed_recognition_feed()
    return _summary(recognitions)


def _summary(recognitions: int) -> list[str]:
    results = PulseResults()
    team = PulseSeries.objects.filter(kind=PulseSeries.Kind.TEAM, pulses__isnull=False).distinct()
    shown = sum(results.window(series).status == SHOWN for series in team)
    closed = Pulse.objects.filter(state=Pulse.State.CLOSED).count()
    return [
        "",
        f"Team pulse: {closed} closed pulses; {shown} of {team.count()} teams show a 90-day result, "
        f'{FeedbackAction.objects.count()} "you said, we will" actions; {recognitions} recognitions in the feed.',
        "  seller1 has a pulse to answer (Team pulse); manager1 sees results, the action and its check-back;",
        "  manager7's team is below the threshold; manager8's shows only pooled over 90 days;",
        "  director1 sees their upward pulse and the roll-ups; manager1 sees who on their team is not yet "
        "recognised (Recognition).",
    ]
