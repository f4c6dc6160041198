"""Team pulses (a released one per manager, an open one for every other), recognition between
teammates, support functions with requests, and the reminders a sweep finds in all of it."""

import datetime
import hashlib

from coaching.large_org.build import BATCH, Org
from coaching.large_org.charters import Framework
from coaching.models import Pulse, PulseAnswer, PulseInvitation, PulseItem, PulseQuestion, PulseSeries, Recognition
from coaching.models.recognition import RecognitionTag
from enablement.models import Reminder
from enablement.notifications.registry import all_kinds
from enablement.notifications.services import reminders_sweep
from managers.models import SupportFunction, SupportRequest

LEVERS = ("clarity", "skills", "support", "engagement")
TAGS = [tag for tag, _label in RecognitionTag.choices]


def _questions() -> list[PulseQuestion]:
    agree = PulseQuestion.objects.filter(is_active=True, scale="agree").order_by("position")
    return [question for lever in LEVERS for question in agree.filter(lever=lever)[:2]]


def build_pulses(org: Org, today: datetime.date, now: datetime.datetime) -> None:
    """A team series per manager with a released pulse answered by six to nine sellers (or fewer on small
    teams, which then show only through the roll-up), and an open pulse for every other manager."""
    questions = _questions()
    series = PulseSeries.objects.bulk_create(
        (PulseSeries(subject=manager, kind="team") for manager in org.managers), batch_size=BATCH
    )
    closed = Pulse.objects.bulk_create(
        (
            Pulse(
                series=entry,
                opens_on=today - datetime.timedelta(days=40),
                closes_on=today - datetime.timedelta(days=26),
                state="closed",
                scheduled_by=entry.subject,
                invited_count=len(org.sellers_of[entry.subject_id]),
                respondent_count=min(len(org.sellers_of[entry.subject_id]), 6 + index % 4),
                released_at=now - datetime.timedelta(days=26),
            )
            for index, entry in enumerate(series)
        ),
        batch_size=BATCH,
    )
    opened = Pulse.objects.bulk_create(
        (
            Pulse(
                series=entry,
                opens_on=today - datetime.timedelta(days=3),
                closes_on=today + datetime.timedelta(days=11),
                state="open",
                scheduled_by=entry.subject,
                invited_count=len(org.sellers_of[entry.subject_id]),
            )
            for entry in series[::2]
        ),
        batch_size=BATCH,
    )
    PulseItem.objects.bulk_create(
        (
            PulseItem(pulse=pulse, question=question, position=n)
            for pulse in closed + opened
            for n, question in enumerate(questions)
        ),
        batch_size=BATCH,
    )
    PulseAnswer.objects.bulk_create(
        (
            PulseAnswer(
                pulse=pulse,
                question=question,
                respondent=hashlib.sha256(f"large-{pulse.series_id}-{respondent}".encode()).hexdigest(),
                value=1 + (pulse.pk + respondent + question.pk) % 5,
            )
            for pulse in closed
            for question in questions
            for respondent in range(pulse.respondent_count)
        ),
        batch_size=BATCH,
    )
    subject_of = {entry.pk: entry.subject_id for entry in series}
    PulseInvitation.objects.bulk_create(
        (
            PulseInvitation(pulse=pulse, person=seller, has_answered=False)
            for pulse in opened
            for seller in org.sellers_of[subject_of[pulse.series_id]]
        ),
        batch_size=BATCH,
    )


def build_recognition(org: Org, framework: Framework) -> None:
    """Every seller thanked by a teammate, and every manager by one of their sellers."""
    rows = []
    for manager in org.managers:
        team = org.sellers_of[manager.pk]
        for n, seller in enumerate(team):
            giver = team[(n + 1) % len(team)] if len(team) > 1 else manager
            if giver.pk != seller.pk:
                rows.append((giver, seller, n))
        if team:
            rows.append((team[0], manager, len(team)))
    Recognition.objects.bulk_create(
        (
            Recognition(
                giver=giver,
                recipient=recipient,
                reason="Thanks for the help on the renewal.",
                tags=[TAGS[n % len(TAGS)]],
                competency=framework.competencies[n % len(framework.competencies)],
            )
            for giver, recipient, n in rows
        ),
        batch_size=BATCH,
    )


def build_support(org: Org, now: datetime.datetime) -> None:
    """Four support functions, each owned by an operations person, and a request from every third
    manager, in every state, some past their first-response target."""
    functions = SupportFunction.objects.bulk_create(
        SupportFunction(name=name, owner=owner, description="Answers managers' requests.")
        for name, owner in zip(
            ("Revenue Operations", "Sales Engineering", "Enablement", "Marketing"), org.support_owners, strict=True
        )
    )
    states = ("open", "open", "acknowledged", "in_progress", "resolved", "declined")
    rows = []
    for index, manager in enumerate(org.managers[::3]):
        function = functions[index % len(functions)]
        state = states[index % len(states)]
        answered = state != "open"
        rows.append(
            SupportRequest(
                raised_by=manager,
                owner=function.owner,
                function=function,
                kind=("tool", "process", "partner", "data")[index % 4],
                title=f"Forecast tool times out for team {index + 1}",
                description="Since the last release the forecast page does not load.",
                state=state,
                first_response_due_at=now - datetime.timedelta(days=index % 9 - 3),
                first_response_at=now - datetime.timedelta(days=1) if answered else None,
                resolved_at=now - datetime.timedelta(hours=5) if state in ("resolved", "declined") else None,
                resolution="Raised the timeout." if state in ("resolved", "declined") else "",
            )
        )
    SupportRequest.objects.bulk_create(rows, batch_size=BATCH)


def build_feedback(org: Org, framework: Framework, now: datetime.datetime) -> None:
    build_pulses(org, now.date(), now)
    build_recognition(org, framework)
    build_support(org, now)


def build_reminders(now: datetime.datetime) -> int:
    """Runs every reminder sweep as beat would (pending acknowledgements, tasks due and overdue, missing
    scorecards, ...) so the inboxes hold what they would, then marks them sent: a worker started on this
    database must not email thousands of example.com addresses."""
    for kind in all_kinds():
        reminders_sweep(kind=kind, now=now)
    return Reminder.objects.filter(status="pending").update(status="sent", sent_at=now)
