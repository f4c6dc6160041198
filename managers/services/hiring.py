"""Every write to hiring: requisitions and their interview plan, candidates, applications and their
stage moves, interviews, scorecards (draft, submit, amend) and decisions. Each runs in one transaction
and validates first; stage moves and decisions are recorded as ApplicationEvents."""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from enablement.models import Person, Team
from enablement.org.services import apply_validated, changed_fields, normalized_email, person_create
from managers import policy, signals
from managers.models import (
    Application,
    ApplicationEvent,
    Candidate,
    Competency,
    Interview,
    InterviewFocus,
    InterviewStage,
    Requisition,
    Role,
    Scorecard,
    ScorecardAmendment,
    ScorecardRating,
)
from managers.selectors.hiring import HiringEvidence, hiring_evidence
from managers.services.charters import role_assign

REQUISITION_FIELDS = ("title", "hiring_manager", "recruiter", "team", "status", "target_start", "external_id")
DECIDED_STAGES = frozenset({Application.Stage.HIRED, Application.Stage.REJECTED})
# Where the pipeline board may move an application; hired and rejected are reached by a decision only.
MOVABLE_STAGES = frozenset(
    {
        Application.Stage.APPLIED,
        Application.Stage.SCREEN,
        Application.Stage.INTERVIEWS,
        Application.Stage.DECISION,
        Application.Stage.WITHDRAWN,
    }
)


# Requisitions and the interview plan


def _validate_requisition_people(requisition: Requisition) -> None:
    errors = {}
    if requisition.hiring_manager_id and (
        requisition.hiring_manager.is_terminated or requisition.hiring_manager.user_id is None
    ):
        errors["hiring_manager"] = _("The hiring manager must be a current employee with a login.")
    if requisition.recruiter_id and not requisition.recruiter.is_active:
        errors["recruiter"] = _("The recruiter's login is deactivated.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def requisition_create(
    *,
    role: Role,
    title: str,
    hiring_manager: Person,
    recruiter: AbstractBaseUser,
    by: AbstractBaseUser | None,
    team: Team | None = None,
    target_start: datetime.date | None = None,
    external_id: str = "",
) -> Requisition:
    """Opens a requisition for `role`. Raises ValidationError with field messages."""
    requisition = Requisition(
        role=role,
        title=title,
        hiring_manager=hiring_manager,
        recruiter=recruiter,
        team=team,
        target_start=target_start,
        external_id=external_id,
        opened_by=by,
    )
    requisition.full_clean()
    _validate_requisition_people(requisition)
    requisition.save()
    return requisition


@transaction.atomic
def requisition_update(*, requisition: Requisition, by: AbstractBaseUser | None, **values: Any) -> Requisition:
    """Changes a requisition's fields (title, people, team, status, target start, external id); its role
    stays, since candidates were assessed against it. Saves only what changed."""
    changes = changed_fields(requisition, values, REQUISITION_FIELDS)
    if changes:
        apply_validated(requisition, changes, validate=lambda: _validate_requisition_people(requisition))
        requisition.save(update_fields=[*changes, "updated_at"])
    return requisition


def _save_focus(stage: InterviewStage, competencies: Iterable[Competency]) -> None:
    wanted = {competency.pk: competency for competency in competencies}
    if not wanted:
        raise ValidationError({"competencies": _("Choose at least one competency this interview covers.")})
    stage.focus.exclude(competency__in=wanted).delete()
    existing = set(stage.focus.values_list("competency", flat=True))
    InterviewFocus.objects.bulk_create(
        InterviewFocus(stage=stage, competency=competency) for pk, competency in wanted.items() if pk not in existing
    )


@transaction.atomic
def interview_stage_add(
    *,
    requisition: Requisition,
    name: str,
    competencies: Iterable[Competency],
    by: AbstractBaseUser | None,
    duration_minutes: int = 45,
) -> InterviewStage:
    """Adds an interview to the requisition's plan, last, covering `competencies`."""
    position = requisition.stages.count()
    stage = InterviewStage(requisition=requisition, name=name, duration_minutes=duration_minutes, position=position)
    stage.full_clean()
    stage.save()
    _save_focus(stage, competencies)
    return stage


@transaction.atomic
def interview_stage_update(
    *,
    stage: InterviewStage,
    name: str,
    competencies: Iterable[Competency],
    by: AbstractBaseUser | None,
    duration_minutes: int = 45,
) -> InterviewStage:
    """Renames an interview or changes what it covers. Scorecards already started keep the competencies
    they were created with; interviews scheduled from now on use the new focus."""
    changes = changed_fields(stage, {"name": name, "duration_minutes": duration_minutes}, ("name", "duration_minutes"))
    if changes:
        apply_validated(stage, changes)
        stage.save(update_fields=[*changes, "updated_at"])
    _save_focus(stage, competencies)
    return stage


@transaction.atomic
def interview_focus_questions_save(
    *, focus: InterviewFocus, questions: str, by: AbstractBaseUser | None
) -> InterviewFocus:
    """Sets the questions this interview asks about one competency (one per line); empty falls back to the
    competency's suggested questions."""
    questions = "\n".join(line.strip() for line in questions.splitlines() if line.strip())
    if focus.questions != questions:
        focus.questions = questions
        focus.save(update_fields=["questions", "updated_at"])
    return focus


@transaction.atomic
def interview_stage_remove(*, stage: InterviewStage, by: AbstractBaseUser | None) -> None:
    """Removes an interview from the plan; refused once an interview was scheduled from it."""
    if stage.interviews.exists():
        raise ValidationError(_("Interviews were scheduled for “%(name)s”, so it stays in the plan.") % {"name": stage})
    stage.delete()


# Candidates and applications


@transaction.atomic
def candidate_upsert(
    *,
    email: str,
    first_name: str,
    last_name: str,
    external_id: str = "",
    phone: str = "",
    profile_url: str = "",
    fill_missing: bool = True,
) -> tuple[Candidate, bool]:
    """Finds the candidate by email (case-insensitive) or the ATS's external id, or creates one; returns
    it and whether it was created. A found candidate gets the fields it was missing when `fill_missing`
    (callers pass False for someone who may not see that candidate); what it has is kept. Raises
    ValidationError when the email and the external id belong to two different candidates."""
    email = normalized_email(email)
    lookup = Q(email__iexact=email) | (Q(external_id=external_id) if external_id else Q(pk__in=[]))
    matches = list(Candidate.objects.select_for_update().filter(lookup)[:2])
    if len(matches) > 1:
        raise ValidationError({"external_id": _("This external id belongs to another candidate than this email does.")})
    values = {"first_name": first_name, "last_name": last_name, "email": email, "phone": phone,
              "external_id": external_id, "profile_url": profile_url}  # fmt: skip
    if not matches:
        candidate = Candidate(**values)
        candidate.full_clean()
        candidate.save()
        return candidate, True
    candidate = matches[0]
    missing = {name: value for name, value in values.items() if value and not getattr(candidate, name)}
    if missing and fill_missing:
        apply_validated(candidate, missing)
        candidate.save(update_fields=[*missing, "updated_at"])
    return candidate, False


def _record(application: Application, from_stage: str, by: AbstractBaseUser | None, note: str = "") -> None:
    ApplicationEvent.objects.create(
        application=application, from_stage=from_stage, to_stage=application.stage, actor=by, note=note[:300]
    )


@transaction.atomic
def application_create(
    *, candidate: Candidate, requisition: Requisition, by: AbstractBaseUser | None, source: str = ""
) -> Application:
    """Puts a candidate on a requisition, at "applied". Refused when the requisition is not open or the
    candidate already applied to it."""
    if not requisition.is_open:
        raise ValidationError(_("This requisition is %(status)s.") % {"status": requisition.get_status_display()})
    if Application.objects.filter(candidate=candidate, requisition=requisition).exists():
        raise ValidationError(_("%(name)s already applied to this requisition.") % {"name": candidate})
    application = Application(
        candidate=candidate, requisition=requisition, source=source, stage_changed_at=timezone.now()
    )
    application.full_clean()
    application.save()
    _record(application, "", by)
    return application


@transaction.atomic
def candidate_apply(
    *, requisition: Requisition, by: AbstractBaseUser, source: str = "", **candidate_fields: str
) -> tuple[Application, bool]:
    """Adds someone to a requisition in one step: finds or creates the candidate (`candidate_upsert`) and
    creates their application. Returns the application and whether the candidate was new. All or
    nothing: a refused application (requisition not open, already applied) leaves no candidate behind
    and changes no candidate's details."""
    if not requisition.is_open:
        raise ValidationError(_("This requisition is %(status)s.") % {"status": requisition.get_status_display()})
    candidate, created = candidate_upsert(**candidate_fields)
    return application_create(candidate=candidate, requisition=requisition, by=by, source=source), created


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("requisition", "candidate").get(pk=application.pk)


@transaction.atomic
def application_move(
    *, application: Application, to_stage: str, by: AbstractBaseUser | None, note: str = ""
) -> Application:
    """Moves an application to another stage and records the move; the same stage changes nothing.
    Hired and rejected are reached by a decision and are final; a withdrawn candidate can come back."""
    application = _locked(application)
    if to_stage not in MOVABLE_STAGES:
        raise ValidationError({"stage": _("Hire or reject a candidate by recording a decision.")})
    if application.stage in DECIDED_STAGES:
        raise ValidationError(_("This application is closed (%(stage)s).") % {"stage": application.get_stage_display()})
    if application.stage == to_stage:
        return application
    from_stage = application.stage
    application.stage, application.stage_changed_at = to_stage, timezone.now()
    application.save(update_fields=["stage", "stage_changed_at", "updated_at"])
    _record(application, from_stage, by, note)
    return application


# Interviews and scorecards


@transaction.atomic
def interview_schedule(
    *,
    application: Application,
    stage: InterviewStage,
    interviewer: Person,
    scheduled_at: datetime.datetime,
    by: AbstractBaseUser | None,
) -> Interview:
    """Schedules one interview of the plan with one interviewer and starts their draft scorecard, with a
    rating row for each competency the interview covers. An application still at applied or screen moves
    to interviews."""
    application = _locked(application)
    errors = {}
    if stage.requisition_id != application.requisition_id:
        errors["stage"] = _("This interview is not part of this requisition's plan.")
    if interviewer.is_terminated or interviewer.user_id is None or not interviewer.user.is_active:
        errors["interviewer"] = _("The interviewer must be a current employee with a login.")
    if not application.is_active:
        errors["__all__"] = _("This application is closed.")
    elif Interview.objects.filter(application=application, stage=stage, interviewer=interviewer).exists():
        errors["__all__"] = _("%(person)s already has this interview with this candidate.") % {"person": interviewer}
    if errors:
        raise ValidationError(errors)
    interview = Interview.objects.create(
        application=application, stage=stage, interviewer=interviewer, scheduled_at=scheduled_at
    )
    scorecard = Scorecard.objects.create(interview=interview)
    ScorecardRating.objects.bulk_create(
        ScorecardRating(scorecard=scorecard, competency_id=competency_id)
        for competency_id in stage.focus.values_list("competency", flat=True)
    )
    if application.stage in (Application.Stage.APPLIED, Application.Stage.SCREEN):
        from_stage = application.stage
        application.stage, application.stage_changed_at = Application.Stage.INTERVIEWS, timezone.now()
        application.save(update_fields=["stage", "stage_changed_at", "updated_at"])
        _record(application, from_stage, by, _("Interview scheduled"))
    return interview


@transaction.atomic
def interview_cancel(*, interview: Interview, by: AbstractBaseUser | None) -> None:
    """Cancels an interview that did not happen or was booked with the wrong person, with its draft
    scorecard; recorded in the application's history. Refused once the scorecard is submitted: that
    feedback stays."""
    interview = (
        Interview.objects.select_for_update(of=("self",))
        .select_related("scorecard", "stage", "interviewer")
        .get(pk=interview.pk)
    )
    if interview.scorecard.is_submitted:
        raise ValidationError(_("%(person)s already submitted a scorecard for this interview.") % {
            "person": interview.interviewer})  # fmt: skip
    application = interview.application
    note = _("Interview cancelled: %(stage)s with %(person)s") % {
        "stage": interview.stage,
        "person": interview.interviewer,
    }
    interview.scorecard.delete()
    interview.delete()
    ApplicationEvent.objects.create(
        application=application, from_stage=application.stage, to_stage=application.stage, actor=by, note=note[:300]
    )


@dataclass(frozen=True)
class RatingInput:
    rating: int | None  # None: not assessed
    evidence: str = ""


def _require_own_draft(scorecard: Scorecard, by: AbstractBaseUser) -> Scorecard:
    scorecard = Scorecard.objects.select_for_update().select_related("interview").get(pk=scorecard.pk)
    if not policy.is_interviewer(by, scorecard):
        raise PermissionDenied(_("Only the interviewer fills in this scorecard."))
    if scorecard.is_submitted:
        raise ValidationError(_("This scorecard was submitted and can no longer be changed; add an amendment."))
    return scorecard


def _save_ratings(scorecard: Scorecard, ratings: Mapping[int, RatingInput]) -> list[ScorecardRating]:
    rows = {row.competency_id: row for row in scorecard.ratings.select_related("competency")}
    unknown = set(ratings) - set(rows)
    if unknown:
        raise ValidationError({"ratings": _("This interview does not cover competency %(ids)s.") % {
            "ids": ", ".join(map(str, sorted(unknown)))}})  # fmt: skip
    changed = []
    for competency_id, value in ratings.items():
        row = rows[competency_id]
        if value.rating is not None and value.rating not in (1, 2, 3, 4):
            raise ValidationError({"ratings": _("%(name)s: a rating is 1 to 4.") % {"name": row.competency}})
        evidence = value.evidence.strip()
        if (row.rating, row.evidence) != (value.rating, evidence):
            row.rating, row.evidence, row.updated_at = value.rating, evidence, timezone.now()
            changed.append(row)
    ScorecardRating.objects.bulk_update(changed, ["rating", "evidence", "updated_at"])
    return sorted(rows.values(), key=lambda row: row.competency.name)


@transaction.atomic
def scorecard_save_draft(
    *,
    scorecard: Scorecard,
    by: AbstractBaseUser,
    ratings: Mapping[int, RatingInput],
    recommendation: str = "",
    summary: str = "",
) -> Scorecard:
    """Saves the interviewer's work in progress: ratings by competency id, recommendation, summary.
    Anything may still be missing. Raises PermissionDenied for anyone but the interviewer and
    ValidationError once submitted."""
    scorecard = _require_own_draft(scorecard, by)
    _save_ratings(scorecard, ratings)
    if recommendation and recommendation not in Scorecard.Recommendation.values:
        raise ValidationError({"recommendation": _("Choose a recommendation from the list.")})
    changes = changed_fields(
        scorecard, {"recommendation": recommendation, "summary": summary.strip()}, ("recommendation", "summary")
    )
    if changes:
        apply_validated(scorecard, changes)
        scorecard.save(update_fields=[*changes, "updated_at"])
    return scorecard


def scorecard_submit_errors(scorecard: Scorecard, rows: Iterable[ScorecardRating]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    rows = list(rows)
    missing_evidence = [str(row.competency) for row in rows if row.rating is not None and not row.evidence]
    if missing_evidence:
        errors["ratings"] = [_("Give evidence for every rating: %(names)s.") % {"names": ", ".join(missing_evidence)}]
    if not any(row.rating is not None for row in rows):
        errors.setdefault("ratings", []).append(_("Rate at least one competency."))
    if not scorecard.recommendation:
        errors["recommendation"] = [_("Give an overall recommendation.")]
    if not scorecard.summary:
        errors["summary"] = [_("Write a summary.")]
    return errors


@transaction.atomic
def scorecard_submit(
    *,
    scorecard: Scorecard,
    by: AbstractBaseUser,
    ratings: Mapping[int, RatingInput],
    recommendation: str,
    summary: str,
) -> Scorecard:
    """Saves and submits the scorecard, which is read-only from then on. Every rating given needs
    evidence, at least one competency must be rated, and a recommendation and a summary are required;
    otherwise ValidationError, and nothing is saved. Sends `scorecard_submitted`."""
    scorecard = scorecard_save_draft(
        scorecard=scorecard, by=by, ratings=ratings, recommendation=recommendation, summary=summary
    )
    errors = scorecard_submit_errors(scorecard, scorecard.ratings.select_related("competency"))
    if errors:
        raise ValidationError(errors)
    scorecard.status, scorecard.submitted_at = Scorecard.Status.SUBMITTED, timezone.now()
    scorecard.save(update_fields=["status", "submitted_at", "updated_at"])
    signals.scorecard_submitted.send(sender=Scorecard, scorecard=scorecard, by=by)
    return scorecard


@transaction.atomic
def scorecard_amend(*, scorecard: Scorecard, by: AbstractBaseUser, reason: str, note: str) -> ScorecardAmendment:
    """Records an amendment beside a submitted scorecard, by its interviewer, with a reason; the
    scorecard itself is never changed."""
    scorecard = Scorecard.objects.select_related("interview").get(pk=scorecard.pk)
    if not policy.is_interviewer(by, scorecard):
        raise PermissionDenied(_("Only the interviewer amends their scorecard."))
    if not scorecard.is_submitted:
        raise ValidationError(_("A draft is edited, not amended."))
    amendment = ScorecardAmendment(scorecard=scorecard, author=by, reason=reason.strip(), note=note.strip())
    amendment.full_clean()
    amendment.save()
    return amendment


# Decisions


def _person_for_hire(application: Application, external_id: str, start_date: datetime.date | None) -> Person:
    """The employee the hired candidate becomes: the one already linked, else found by work email or the
    given external id, else created under the hiring manager."""
    candidate, requisition = application.candidate, application.requisition
    if candidate.person_id:
        return candidate.person
    lookup = Q(email__iexact=candidate.email) | (Q(external_id=external_id) if external_id else Q(pk__in=[]))
    matches = list(Person.objects.filter(lookup)[:2])
    if len(matches) > 1:
        raise ValidationError({"external_id": _("This external id belongs to another person than the email does.")})
    if matches:
        return matches[0]
    if not external_id:
        raise ValidationError(
            {"external_id": _("No employee has this candidate's email: give the HR system's id for the new hire.")}
        )
    hiring_manager = requisition.hiring_manager
    return person_create(
        external_id=external_id,
        first_name=candidate.first_name,
        last_name=candidate.last_name,
        email=candidate.email,
        title=requisition.role.name,
        team=requisition.team or hiring_manager.team,
        manager=hiring_manager,
        start_date=start_date or requisition.target_start,
    )


@transaction.atomic
def application_decide(
    *,
    application: Application,
    decision: str,
    rationale: str,
    by: AbstractBaseUser,
    external_id: str = "",
    start_date: datetime.date | None = None,
) -> Application:
    """Records a hire or reject decision with its rationale, by the requisition's recruiter or hiring
    manager (PermissionDenied otherwise). Hiring links or creates the person (by email or `external_id`),
    assigns the requisition's role from `start_date` (the target start, or today), fills the requisition
    and sends `candidate_hired` with the interview evidence. Sends `application_decided`. A closed
    application, an unknown decision or an empty rationale is a ValidationError, and nothing changes."""
    application = _locked(application)
    if not policy.can_manage_requisition(by, application.requisition):
        raise PermissionDenied(_("Decisions are made by the recruiter or the hiring manager."))
    errors = {}
    if decision not in Application.Decision.values:
        errors["decision"] = _("Choose hire or reject.")
    if not rationale.strip():
        errors["rationale"] = _("Give the reasons for the decision.")
    if not application.is_active:
        errors["__all__"] = _("This application is closed (%(stage)s).") % {"stage": application.get_stage_display()}
    if errors:
        raise ValidationError(errors)
    from_stage = application.stage
    hired = decision == Application.Decision.HIRE
    application.stage = Application.Stage.HIRED if hired else Application.Stage.REJECTED
    application.decision, application.decision_rationale = decision, rationale.strip()
    application.decided_by, application.decided_at = by, timezone.now()
    application.stage_changed_at = application.decided_at
    application.save(update_fields=["stage", "decision", "decision_rationale", "decided_by", "decided_at",
                                    "stage_changed_at", "updated_at"])  # fmt: skip
    _record(application, from_stage, by, rationale)
    if hired:
        _hire(application, by=by, external_id=external_id.strip(), start_date=start_date)
    signals.application_decided.send(sender=Application, application=application, by=by)
    return application


def _hire(
    application: Application, *, by: AbstractBaseUser, external_id: str, start_date: datetime.date | None
) -> Person:
    """Links the candidate to the employee they become, gives them the role, fills the requisition and
    hands the interview evidence to whoever listens (`candidate_hired`)."""
    person = _person_for_hire(application, external_id, start_date)
    if person.is_terminated:
        raise ValidationError(
            {
                "external_id": _("%(person)s is a former employee: rehire them in the HR system first.")
                % {"person": person}
            }
        )
    candidate, requisition = application.candidate, application.requisition
    if Candidate.objects.filter(person=person).exclude(pk=candidate.pk).exists():
        raise ValidationError({"external_id": _("%(person)s was hired as another candidate.") % {"person": person}})
    if candidate.person_id != person.pk:
        candidate.person = person
        candidate.save(update_fields=["person", "updated_at"])
    on = start_date or requisition.target_start or timezone.localdate()
    role_assign(person=person, role=requisition.role, on=on, by=by)
    if requisition.status != Requisition.Status.FILLED:
        requisition.status = Requisition.Status.FILLED
        requisition.save(update_fields=["status", "updated_at"])
    evidence: dict[int, HiringEvidence] = hiring_evidence(application)
    signals.candidate_hired.send(sender=Application, application=application, person=person, evidence=evidence, by=by)
    return person
