"""The demo hiring step, on top of the demo org (`enablement.org.demo`) and the roles of the charter demo
(`managers.demo.charters`): the competency framework, what each frontline manager role requires, two open
requisitions with their interview plans, and ten candidates spread over the pipeline, with interviews
before and after today, submitted scorecards (one candidate's ratings split, some competencies not
assessed), one scorecard overdue, one rejection and one withdrawal. Nobody is hired: a hire becomes a
person and would change the org the other demo steps build on.

Built only through the services and keyed by what a second run can find again (role code, requisition
and candidate external ids, an application's candidate and requisition, an interview's application,
plan stage and interviewer), so running it twice changes nothing. What leaders and recruiters changed
in the app is left as it is: requirements are set only on a role that has none, a plan only on a
requisition that has none, a scorecard is filled in only while untouched, and an application is moved
only forward and only to a stage it has never been in.
"""

import datetime
from collections import Counter
from collections.abc import Iterable, Mapping

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from enablement.models import Person
from enablement.notifications.services import reminders_sweep
from enablement.org.demo import EMAIL_DOMAIN
from enablement.org.services import person_create
from managers.demo.candidates import DRAFT, SCHEDULED, CandidateSpec, InterviewSpec
from managers.demo.charter_specs import COMMERCIAL, ENTERPRISE, CharterSpec
from managers.demo.commercial_candidates import COMMERCIAL_CANDIDATES
from managers.demo.enterprise_candidates import ENTERPRISE_CANDIDATES
from managers.demo.requirements import REQUIREMENTS
from managers.demo.requisitions import REQUISITIONS, RequisitionSpec
from managers.hiring_reminders import HIRING_REMINDER_KINDS
from managers.models import Application, Competency, Interview, Requisition, Role, Scorecard
from managers.selectors.hiring import application_list, candidate_profiles
from managers.services.charters import role_create
from managers.services.competencies import competencies_seed, role_requirements_save
from managers.services.hiring import (
    RatingInput,
    application_create,
    application_decide,
    application_move,
    candidate_upsert,
    interview_schedule,
    interview_stage_add,
    requisition_create,
    scorecard_save_draft,
    scorecard_submit,
)

RECRUITER = "recruiter"  # the demo recruiter's username (enablement.org.demo)
RECRUITER_HR_ID = "HR-9101"
Stage = Application.Stage

# The seeded story only ever moves an application forward along this path (or withdraws it).
FORWARD = (Stage.APPLIED, Stage.SCREEN, Stage.INTERVIEWS, Stage.DECISION)

STAGE_WORDS = {
    Stage.APPLIED: "applied",
    Stage.SCREEN: "in screen",
    Stage.INTERVIEWS: "in interviews",
    Stage.DECISION: "awaiting a decision",
    Stage.HIRED: "hired",
    Stage.REJECTED: "rejected",
    Stage.WITHDRAWN: "withdrawn",
}

CANDIDATES = (*ENTERPRISE_CANDIDATES, *COMMERCIAL_CANDIDATES)


@transaction.atomic
def seed_hiring_demo() -> list[str]:
    """Builds the demo hiring on the demo org (which must exist) and returns a summary to print.
    Idempotent; raises ValidationError only if the org or framework was changed so far that a service
    refuses the demo's data."""
    competencies_seed()
    competencies = Competency.objects.filter(is_active=True).in_bulk(field_name="key")
    people = _people()
    recruiter = get_user_model().objects.get(username=RECRUITER)
    _place_recruiter(recruiter)
    for charter in (ENTERPRISE, COMMERCIAL):
        _seed_requirements(_role(charter, people), competencies, by=people[charter.director].user)
    requisitions = {spec.external_id: _seed_requisition(spec, people, recruiter, competencies) for spec in REQUISITIONS}
    for spec in CANDIDATES:
        _seed_candidate(spec, requisitions[spec.requisition], people, recruiter)
    # The overdue scorecard's reminder and its escalation, so the interviewer's and the recruiter's inboxes
    # show what they are for (sent once: a second run finds them sent).
    for kind in HIRING_REMINDER_KINDS:
        reminders_sweep(kind=kind)
    return _summary(requisitions.values())


def _place_recruiter(recruiter: AbstractBaseUser) -> None:
    """The demo recruiter gets a place in the org (Talent Acquisition, outside the sales teams), so they
    have an inbox and notification preferences, and missing scorecards escalate to them."""
    if Person.objects.filter(user=recruiter).exists() or Person.objects.filter(external_id=RECRUITER_HR_ID).exists():
        return
    person_create(
        external_id=RECRUITER_HR_ID,
        first_name=recruiter.first_name,
        last_name=recruiter.last_name,
        email=recruiter.email or f"{RECRUITER}@{EMAIL_DOMAIN}",
        title="Talent Acquisition Partner",
        start_date=datetime.date(2023, 4, 3),
        user=recruiter,
    )


def _people() -> dict[str, Person]:
    usernames = {spec.charter.director for spec in REQUISITIONS} | {
        interview.interviewer for spec in CANDIDATES for interview in spec.interviews
    }
    people = Person.objects.filter(user__username__in=usernames).select_related("user")
    return {person.user.username: person for person in people}


def _role(charter: CharterSpec, people: Mapping[str, Person]) -> Role:
    role = Role.objects.filter(code=charter.code).first()
    if role is None:
        role = role_create(
            code=charter.code, name=charter.name, description=charter.description, by=people[charter.director].user
        )
    return role


def _seed_requirements(role: Role, competencies: Mapping[str, Competency], *, by: AbstractBaseUser) -> None:
    # A role with requirements was set up by a leader (or an earlier run): theirs stand.
    if role.requirements.exists():
        return
    rows = [
        {"competency": competencies[key], "required_level": level, "weight": weight}
        for key, level, weight in REQUIREMENTS[role.code]
        if key in competencies
    ]
    role_requirements_save(role=role, requirements=rows, by=by)


def _target_start() -> datetime.date:
    start = timezone.localdate() + datetime.timedelta(weeks=9)
    return start - datetime.timedelta(days=start.weekday())  # a Monday


def _seed_requisition(
    spec: RequisitionSpec,
    people: Mapping[str, Person],
    recruiter: AbstractBaseUser,
    competencies: Mapping[str, Competency],
) -> Requisition:
    requisition = Requisition.objects.filter(external_id=spec.external_id).first()
    if requisition is None:
        requisition = requisition_create(
            role=Role.objects.get(code=spec.charter.code),
            title=spec.title,
            hiring_manager=people[spec.charter.director],
            recruiter=recruiter,
            by=recruiter,
            target_start=_target_start(),
            external_id=spec.external_id,
        )
    if not requisition.stages.exists():
        for stage in spec.plan:
            interview_stage_add(
                requisition=requisition,
                name=stage.name,
                duration_minutes=stage.minutes,
                competencies=[competencies[key] for key in stage.competencies if key in competencies],
                by=recruiter,
            )
    return requisition


def _seed_candidate(
    spec: CandidateSpec, requisition: Requisition, people: Mapping[str, Person], recruiter: AbstractBaseUser
) -> None:
    candidate, _created = candidate_upsert(
        email=spec.email,
        first_name=spec.first_name,
        last_name=spec.last_name,
        phone=spec.phone,
        external_id=spec.external_id,
        by=recruiter,
    )
    application = Application.objects.filter(candidate=candidate, requisition=requisition).first()
    created = application is None
    if created:
        if not requisition.is_open:
            return
        application = application_create(candidate=candidate, requisition=requisition, by=recruiter, source=spec.source)
    if spec.screen_note:
        _advance(application, Stage.SCREEN, by=recruiter, note=spec.screen_note)
    for interview in spec.interviews:
        _seed_interview(application, interview, people, recruiter)
    application.refresh_from_db()
    if spec.outcome == Stage.REJECTED:
        if application.is_active:
            application_decide(
                application=application, decision=Application.Decision.REJECT, rationale=spec.note, by=recruiter
            )
    elif spec.outcome:
        _advance(application, spec.outcome, by=recruiter, note=spec.note)
    if created:
        _backdate(application, spec)


def _backdate(application: Application, spec: CandidateSpec) -> None:
    """Services stamp every move with the time it runs; a fresh demo would show everyone "0 minutes in
    this stage". The candidate reached their stage after their last past interview, or a few days ago."""
    past = [_at(interview.days, interview.hour) for interview in spec.interviews if interview.days < 0]
    since = max(past, default=_at(-3, 9)) + datetime.timedelta(hours=2)
    Application.objects.filter(pk=application.pk).update(stage_changed_at=min(since, timezone.now()))


def _advance(application: Application, to_stage: str, *, by: AbstractBaseUser, note: str) -> None:
    """Moves the application to `to_stage` unless it is closed, was there before, or is already past it."""
    application.refresh_from_db()
    if not application.is_active or application.events.filter(to_stage=to_stage).exists():
        return
    if to_stage in FORWARD and FORWARD.index(application.stage) >= FORWARD.index(to_stage):
        return
    application_move(application=application, to_stage=to_stage, by=by, note=note)


def _at(days: int, hour: int) -> datetime.datetime:
    """`hour` o'clock local time on the working day `days` from today (moved away from today past a weekend)."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1 if days >= 0 else -1)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


def _seed_interview(
    application: Application, spec: InterviewSpec, people: Mapping[str, Person], recruiter: AbstractBaseUser
) -> None:
    interviewer = people.get(spec.interviewer)
    stage = application.requisition.stages.filter(name=spec.stage).first()
    if interviewer is None or stage is None:
        return
    # Matched without its time: the demo's times are relative to the day it first ran.
    interview = (
        Interview.objects.filter(application=application, stage=stage, interviewer=interviewer)
        .select_related("scorecard")
        .first()
    )
    if interview is None:
        application.refresh_from_db()
        if not application.is_active:
            return
        interview = interview_schedule(
            application=application,
            stage=stage,
            interviewer=interviewer,
            scheduled_at=_at(spec.days, spec.hour),
            by=recruiter,
        )
    _fill_scorecard(interview.scorecard, spec, by=interviewer.user)


def _untouched(scorecard: Scorecard) -> bool:
    return (
        not scorecard.is_submitted
        and not scorecard.recommendation
        and not scorecard.summary
        and not scorecard.ratings.exclude(rating__isnull=True, evidence="").exists()
    )


def _fill_scorecard(scorecard: Scorecard, spec: InterviewSpec, *, by: AbstractBaseUser) -> None:
    if spec.outcome == SCHEDULED or not _untouched(scorecard):
        return
    # Only the competencies the scorecard was started with (the plan may have changed since).
    covered = dict(scorecard.ratings.values_list("competency__key", "competency"))
    ratings = {
        covered[rated.key]: RatingInput(rated.rating, rated.evidence) for rated in spec.ratings if rated.key in covered
    }
    values = {"ratings": ratings, "recommendation": spec.recommendation, "summary": spec.summary}
    if spec.outcome == DRAFT:
        scorecard_save_draft(scorecard=scorecard, by=by, **values)
    elif any(value.rating is not None for value in ratings.values()):
        scorecard_submit(scorecard=scorecard, by=by, **values)


def _summary(requisitions: Iterable[Requisition]) -> list[str]:
    requisitions = list(
        Requisition.objects.filter(pk__in=[requisition.pk for requisition in requisitions])
        .select_related("hiring_manager")
        .order_by("external_id")
    )
    applications = list(application_list(Application.objects.filter(requisition__in=requisitions)))
    profiles = candidate_profiles(applications)
    scorecards = Scorecard.objects.filter(interview__application__in=applications)
    submitted = scorecards.filter(status=Scorecard.Status.SUBMITTED).count()
    missing = sum(len(profile.missing_scorecards) for profile in profiles.values())
    opened = sum(requisition.is_open for requisition in requisitions)
    candidates = len({application.candidate_id for application in applications})
    lines = [
        "",
        f"Hiring: {opened} open requisitions, {candidates} candidates, {submitted} scorecards submitted, "
        f"{missing} missing; sign in as {RECRUITER} to see the pipeline:",
    ]
    upcoming = Counter(
        scorecards.filter(interview__scheduled_at__gte=timezone.now()).values_list(
            "interview__application__requisition", flat=True
        )
    )
    for requisition in requisitions:
        mine = [profile for profile in profiles.values() if profile.application.requisition_id == requisition.pk]
        stages = Counter(profile.application.stage for profile in mine)
        split = sum(any(flag.code == "disagreement" for flag in profile.flags) for profile in mine)
        pipeline = ", ".join(f"{stages[stage]} {label}" for stage, label in STAGE_WORDS.items() if stages[stage])
        lines.append(
            f"  {requisition.external_id} {requisition.title}, hiring manager {requisition.hiring_manager}: "
            f"{pipeline}; {_count(upcoming[requisition.pk], 'interview')} coming up, "
            f"{_count(split, 'candidate')} with split ratings to discuss"
        )
    lines.extend(_interviewer_lines(scorecards))
    return lines


def _natural(username: str) -> tuple[str, int]:
    """director1 before director2, manager2 before manager10."""
    stem = username.rstrip("0123456789")
    return stem, int(username[len(stem) :] or 0)


def _interviewer_lines(scorecards) -> list[str]:
    """Which demo logins interview (their Hiring page lists their interviews and scorecards)."""
    now = timezone.now()
    rows = scorecards.filter(interview__interviewer__user__isnull=False).values_list(
        "interview__interviewer__user__username",
        "interview__interviewer__first_name",
        "interview__interviewer__last_name",
        "interview__scheduled_at",
        "status",
    )
    by_login: dict[str, list] = {}
    for username, first, last, when, status in rows:
        entry = by_login.setdefault(username, [f"{first} {last}", 0, 0, 0])
        if when >= now:
            entry[1] += 1
        elif status == Scorecard.Status.DRAFT:
            entry[2] += 1
        else:
            entry[3] += 1
    parts = []
    for username in sorted(by_login, key=_natural):
        name, coming, late, done = by_login[username]
        counts = [
            text
            for number, text in (
                (coming, f"{coming} coming up"),
                (late, _count(late, "scorecard") + " to submit"),
                (done, f"{done} submitted"),
            )
            if number
        ]
        parts.append(f"{username} ({name}: {', '.join(counts)})")
    if not parts:
        return []
    return ["  Interviewers (their Hiring page lists their interviews and scorecards): " + "; ".join(parts)]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
