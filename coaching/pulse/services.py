"""Every write to pulses: scheduling, opening (the audience snapshot), answering, closing (the release) and
acting on feedback. Views scope what a user sees; a service a person triggers asks the rule in
`coaching.pulse.selectors` (PermissionDenied), as the README's "Who checks what" says, and checks what the
data forbids (ValidationError). How answers stay unlinkable is told in `coaching.models.pulse`.
"""

import datetime
import hashlib
import hmac
import random
from collections.abc import Mapping, Sequence

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coaching.models import (
    CoachingPlan,
    FeedbackAction,
    Pulse,
    PulseAnswer,
    PulseBallotBox,
    PulseComment,
    PulseInvitation,
    PulseItem,
    PulseQuestion,
    PulseSeries,
)
from coaching.pulse import selectors
from coaching.pulse.question_bank import CHECK_BACK_KEY
from enablement.accounts import policy
from enablement.models import Person
from enablement.org.selectors import managers_under

MIN_QUESTIONS, MAX_QUESTIONS = 4, 6
MAX_FOCUS_ITEMS = 2
COMMENT_MAX_CHARS = 2000
# One OS-seeded generator: ballot order must not be predictable from a seed anyone could guess.
_shuffle = random.SystemRandom().shuffle


def pseudonym_secret() -> bytes:
    """PULSE_PSEUDONYM_SECRET, or a key derived from SECRET_KEY when it is unset. Never stored in the DB."""
    configured = settings.PULSE_PSEUDONYM_SECRET
    if configured:
        return configured.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"coaching.pulse.pseudonym", hashlib.sha256).digest()


def respondent_pseudonym(*, series_id: int, person_id: int) -> str:
    """HMAC-SHA256 of (series, person): the same for one person across a series' pulses, so a rolling
    window can keep each respondent's latest answer, and meaningless without the secret."""
    message = f"{series_id}:{person_id}".encode()
    return hmac.new(pseudonym_secret(), message, hashlib.sha256).hexdigest()


def audience_of(series: PulseSeries) -> list[Person]:
    """Who is asked: the subject's active direct reports; for an upward pulse only those who manage
    someone themselves."""
    people = Person.objects.filter(manager=series.subject, employment_status=Person.EmploymentStatus.ACTIVE)
    if series.kind == PulseSeries.Kind.UPWARD:
        people = people.filter(direct_reports__isnull=False).distinct()
    return list(people.order_by("pk"))


def _check_questions(questions: Sequence[PulseQuestion]) -> None:
    keys = [question.key for question in questions]
    if len(set(keys)) != len(keys):
        raise ValidationError({"questions": _("Each question once.")})
    if not MIN_QUESTIONS <= len(keys) <= MAX_QUESTIONS:
        raise ValidationError(
            {"questions": _("Pick %(min)s to %(max)s questions.") % {"min": MIN_QUESTIONS, "max": MAX_QUESTIONS}}
        )
    if any(question.scale == PulseQuestion.Scale.CHECK_BACK or not question.is_active for question in questions):
        raise ValidationError({"questions": _("Pick active questions of the bank.")})


def _last_action(series: PulseSeries) -> FeedbackAction | None:
    """The latest action on the series' released pulses that no pulse has checked back on yet: what the
    next pulse asks about (once: a monthly series does not ask about the same action every month)."""
    return (
        FeedbackAction.objects.filter(pulse__series=series, pulse__state=Pulse.State.CLOSED, checked_in__isnull=True)
        .order_by("-pulse__closes_on", "-pk")
        .first()
    )


@transaction.atomic
def pulse_schedule(
    *,
    subject: Person,
    opens_on: datetime.date,
    closes_on: datetime.date,
    questions: Sequence[PulseQuestion],
    by: AbstractBaseUser | None,
    kind: str = PulseSeries.Kind.TEAM,
    cadence: str = PulseSeries.Cadence.ONCE,
    today: datetime.date | None = None,
) -> Pulse:
    """A pulse about `subject` for their team (or, upward, the managers reporting to them). 4-6 questions;
    when the series' last released pulse has an action, the check-back question is added. Opens at once
    when `opens_on` is today or earlier. With `cadence` monthly the series recurs: no questions means the
    month's rotation, and the beat sweep schedules the next month's (`coaching.pulse.recurrence`).
    Raises ValidationError (dates, questions, nobody to ask)."""
    from coaching.pulse.recurrence import next_month, rotation_for

    policy.require(by, selectors.can_schedule_for, subject, message=selectors.SCHEDULE_DENIED)
    today = today or timezone.localdate()
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("A pulse closes on or after the day it opens.")})
    if closes_on < today:
        raise ValidationError({"closes_on": _("A pulse cannot close in the past.")})
    monthly = cadence == PulseSeries.Cadence.MONTHLY
    questions = list(questions) or (rotation_for(opens_on) if monthly else [])
    _check_questions(questions)
    series, _created = PulseSeries.objects.get_or_create(subject=subject, kind=kind, defaults={"cadence": cadence})
    if not audience_of(series):
        raise ValidationError(_("%(person)s has nobody to ask.") % {"person": subject})
    if monthly and (series.cadence != cadence or series.next_pulse_on is None):
        series.cadence, series.next_pulse_on = cadence, next_month(opens_on)
        series.save(update_fields=["cadence", "next_pulse_on", "updated_at"])
    action = _last_action(series)
    pulse = Pulse.objects.create(
        series=series,
        opens_on=opens_on,
        closes_on=closes_on,
        check_back=action,
        scheduled_by=policy.person_for(by) if by is not None else None,
    )
    items = [PulseItem(pulse=pulse, question=question, position=i) for i, question in enumerate(questions)]
    if action is not None:
        check_back = PulseQuestion.objects.get(key=CHECK_BACK_KEY)
        items.append(PulseItem(pulse=pulse, question=check_back, position=len(items)))
    PulseItem.objects.bulk_create(items)
    if opens_on <= today:
        pulse_open(pulse=pulse)
        pulse.refresh_from_db()
    return pulse


@transaction.atomic
def pulses_schedule_under(
    *,
    leader: Person,
    opens_on: datetime.date,
    closes_on: datetime.date,
    questions: Sequence[PulseQuestion],
    by: AbstractBaseUser | None,
    cadence: str = PulseSeries.Cadence.ONCE,
    today: datetime.date | None = None,
) -> list[Pulse]:
    """One team pulse for every manager below `leader` (not the leader: their people answer the upward
    pulse). All or nothing."""
    policy.require(by, selectors.can_schedule_for, leader, message=selectors.SCHEDULE_DENIED)
    managers = managers_under(leader=leader).exclude(pk=leader.pk).order_by("pk")
    pulses = [
        pulse_schedule(
            subject=manager,
            opens_on=opens_on,
            closes_on=closes_on,
            questions=questions,
            by=by,
            cadence=cadence,
            today=today,
        )
        for manager in managers
    ]
    if not pulses:
        raise ValidationError(_("Nobody below %(person)s manages a team.") % {"person": leader})
    return pulses


@transaction.atomic
def pulse_series_stop(*, series: PulseSeries, by: AbstractBaseUser | None) -> PulseSeries:
    """Stops a monthly series: no further pulse is scheduled (those scheduled or open run on). Idempotent."""
    policy.require(by, selectors.can_schedule_for, series.subject, message=selectors.SCHEDULE_DENIED)
    PulseSeries.objects.filter(pk=series.pk).update(
        cadence=PulseSeries.Cadence.ONCE, next_pulse_on=None, updated_at=timezone.now()
    )
    series.refresh_from_db()
    return series


@transaction.atomic
def pulse_open(*, pulse: Pulse) -> bool:
    """Snapshots the audience and opens the ballot box. Idempotent: False when it was not scheduled."""
    claimed = Pulse.objects.filter(pk=pulse.pk, state=Pulse.State.SCHEDULED).update(
        state=Pulse.State.OPEN, updated_at=timezone.now()
    )
    if not claimed:
        return False
    audience = audience_of(pulse.series)
    PulseInvitation.objects.bulk_create([PulseInvitation(pulse=pulse, person=person) for person in audience])
    PulseBallotBox.objects.create(pulse=pulse, ballots=[])
    Pulse.objects.filter(pk=pulse.pk).update(invited_count=len(audience))
    return True


def _clean_ballot(pulse: Pulse, answers: Mapping[int, int | None]) -> dict[str, int]:
    questions = {item.question_id: item.question for item in pulse.items.select_related("question")}
    unknown = set(answers) - questions.keys()
    if unknown:
        raise ValidationError(_("That question is not part of this pulse."))
    ballot = {}
    for question_id, value in answers.items():
        if value is None:
            continue  # skipped
        question = questions[question_id]
        if not question.min_value <= value <= question.max_value:
            raise ValidationError(_("An answer is outside its scale."))
        ballot[str(question_id)] = int(value)
    return ballot


@transaction.atomic
def pulse_answer(*, pulse: Pulse, person: Person, answers: Mapping[int, int | None], comment: str = "") -> None:
    """Records one person's ballot: marks their invitation answered and drops the ballot, with their
    series pseudonym and no time, into the pulse's box, which is then reshuffled. Once per person.
    Raises ValidationError when the pulse is not open, they were not asked, or they answered already."""
    comment = comment.strip()
    if len(comment) > COMMENT_MAX_CHARS:
        raise ValidationError({"comment": _("At most %(n)s characters.") % {"n": COMMENT_MAX_CHARS}})
    ballot = _clean_ballot(pulse, answers)
    if not ballot and not comment:
        raise ValidationError(_("Answer at least one question."))
    box = PulseBallotBox.objects.select_for_update().filter(pulse=pulse, pulse__state=Pulse.State.OPEN).first()
    if box is None:
        raise ValidationError(_("This pulse is not open."))
    claimed = PulseInvitation.objects.filter(pulse=pulse, person=person, has_answered=False).update(has_answered=True)
    if not claimed:
        raise ValidationError(_("You have answered this pulse already, or were not asked."))
    ballots = list(box.ballots)
    respondent = respondent_pseudonym(series_id=pulse.series_id, person_id=person.pk)
    ballots.append({"respondent": respondent, "answers": ballot, "comment": comment})
    _shuffle(ballots)
    box.ballots = ballots
    box.save(update_fields=["ballots"])


@transaction.atomic
def pulse_close(*, pulse: Pulse, now: datetime.datetime | None = None) -> bool:
    """Releases a pulse: writes its ballots as answers and comments in one shuffled batch with random
    keys, keeps the invited and respondent counts, and deletes the ballot box and the invitations (who
    answered is no longer needed once nobody can answer). Idempotent: False when it was not open."""
    now = now or timezone.now()
    claimed = Pulse.objects.filter(pk=pulse.pk, state=Pulse.State.OPEN).update(
        state=Pulse.State.CLOSED, released_at=now, updated_at=now
    )
    if not claimed:
        return False
    box = PulseBallotBox.objects.select_for_update().filter(pulse=pulse).first()
    ballots = list(box.ballots) if box is not None else []
    answers = [
        PulseAnswer(pulse=pulse, question_id=int(question_id), respondent=ballot["respondent"], value=value)
        for ballot in ballots
        for question_id, value in ballot["answers"].items()
    ]
    comments = [PulseComment(pulse=pulse, text=ballot["comment"]) for ballot in ballots if ballot["comment"]]
    _shuffle(answers)
    _shuffle(comments)
    PulseAnswer.objects.bulk_create(answers)
    PulseComment.objects.bulk_create(comments)
    invited = PulseInvitation.objects.filter(pulse=pulse).count() if box is not None else pulse.invited_count
    Pulse.objects.filter(pk=pulse.pk).update(invited_count=invited, respondent_count=len(ballots))
    PulseInvitation.objects.filter(pulse=pulse).delete()
    PulseBallotBox.objects.filter(pulse=pulse).delete()
    return True


def pulses_advance(*, today: datetime.date | None = None) -> tuple[int, int]:
    """Opens the scheduled pulses whose day has come and closes the open ones whose last day has passed;
    returns (opened, closed). Safe to run twice or in two workers at once (each pulse is claimed)."""
    today = today or timezone.localdate()
    opened = sum(
        pulse_open(pulse=pulse) for pulse in Pulse.objects.filter(state=Pulse.State.SCHEDULED, opens_on__lte=today)
    )
    closed = sum(
        pulse_close(pulse=pulse) for pulse in Pulse.objects.filter(state=Pulse.State.OPEN, closes_on__lt=today)
    )
    return opened, closed


@transaction.atomic
def feedback_action_add(
    *,
    pulse: Pulse,
    you_said: str,
    we_will: str,
    owner: Person,
    due_on: datetime.date,
    by: AbstractBaseUser | None,
    question: PulseQuestion | None = None,
    plan: CoachingPlan | None = None,
) -> FeedbackAction:
    """A focus item on a released pulse, by its subject (PermissionDenied otherwise): at most two per pulse.
    With `plan` (the subject's own open plan) it also becomes a goal there with a first task, added by the
    platform on the subject's behalf: a coachee does not manage their own plan, but acting on their team's
    feedback in it is this rule's to allow. Raises ValidationError."""
    from coaching.models import ActivityKind
    from coaching.services.plans import goal_add, task_add

    policy.require(by, selectors.can_act_on, pulse, message=selectors.ACT_DENIED)
    if pulse.state != Pulse.State.CLOSED:
        raise ValidationError(_("Act on a pulse once its results are released."))
    if FeedbackAction.objects.select_for_update().filter(pulse=pulse).count() >= MAX_FOCUS_ITEMS:
        raise ValidationError(_("Pick at most %(n)s focus items per pulse.") % {"n": MAX_FOCUS_ITEMS})
    if question is not None and not pulse.items.filter(question=question).exists():
        raise ValidationError({"question": _("That question was not asked in this pulse.")})
    action = FeedbackAction(
        pulse=pulse,
        question=question,
        you_said=you_said.strip(),
        we_will=we_will.strip(),
        owner=owner,
        due_on=due_on,
        created_by=policy.person_for(by) if by else None,
    )
    action.full_clean()
    if plan is not None:
        if plan.coachee_id != pulse.series.subject_id:
            raise ValidationError({"plan": _("Only your own coaching plan.")})
        competency = question.competency if question is not None else None
        action.goal = goal_add(plan=plan, title=action.we_will[:200], due_on=due_on, by=None, competency=competency)
        action.task = task_add(
            plan=plan,
            title=action.we_will[:200],
            kind=ActivityKind.PRACTICE,
            assignee=plan.coachee,
            due_on=due_on,
            by=None,
            goal=action.goal,
        )
    action.save()
    return action


@transaction.atomic
def feedback_action_done(*, action: FeedbackAction, by: AbstractBaseUser | None) -> FeedbackAction:
    """The subject marks their action done (PermissionDenied for anyone else). Idempotent."""
    policy.require(by, selectors.is_subject_of, action.pulse, message=selectors.ACT_DENIED)
    if action.state != FeedbackAction.State.DONE:
        action.state = FeedbackAction.State.DONE
        action.save(update_fields=["state", "updated_at"])
    return action
