"""Decisions: hire or reject with a rationale; a hire becomes an employee with the requisition's role."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from enablement.accounts.policy import require
from enablement.models import Person
from enablement.org.services import person_create
from managers import policy, signals
from managers.models import Application, Candidate, Interview, Requisition, Scorecard
from managers.selectors.hiring import HiringEvidence, hiring_evidence
from managers.services.charters import role_assign
from managers.services.hiring.applications import _locked, _record, application_move
from managers.services.hiring.interviews import interview_cancel


def _existing_person(application: Application, external_id: str) -> Person | None:
    """The employee a hired candidate already is: the one linked, else the one with their work email or the
    given external id. ValidationError when the email and the id name two people, or when there is none
    and no id to create one with."""
    candidate = application.candidate
    if candidate.person_id:
        return candidate.person
    lookup = Q(email__iexact=candidate.email) | (Q(external_id=external_id) if external_id else Q(pk__in=[]))
    matches = list(Person.objects.filter(lookup)[:2])
    if len(matches) > 1:
        raise ValidationError({"external_id": _("This external id belongs to another person than the email does.")})
    if not matches and not external_id:
        raise ValidationError(
            {"external_id": _("No employee has this candidate's email: give the HR system's id for the new hire.")}
        )
    return matches[0] if matches else None


def _person_for_hire(application: Application, external_id: str, start_date: datetime.date | None) -> Person:
    """The employee the hired candidate becomes: the one already there (`_existing_person`), else created
    under the hiring manager."""
    person = _existing_person(application, external_id)
    if person is not None:
        return person
    candidate, requisition = application.candidate, application.requisition
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


def application_decision_errors(
    *, application: Application, decision: str, rationale: str, external_id: str = ""
) -> dict[str, str]:
    """What would stop `application_decide` from recording this decision, by field, without changing
    anything (the page checks it before asking to confirm): an unknown decision, an empty rationale, a
    closed application, and for a hire a missing or conflicting HR id."""
    errors = {}
    if decision not in Application.Decision.values:
        errors["decision"] = _("Choose hire or reject.")
    if not rationale.strip():
        errors["rationale"] = _("Give the reasons for the decision.")
    if not application.is_active:
        errors["__all__"] = _("This application is closed (%(stage)s).") % {"stage": application.get_stage_display()}
    if decision == Application.Decision.HIRE and not errors:
        try:
            _existing_person(application, external_id.strip())
        except ValidationError as error:
            errors.update({field: messages[0] for field, messages in error.message_dict.items()})
    return errors


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
    require(by, policy.can_manage_requisition, application.requisition, message=policy.CANDIDATES_DENIED)
    errors = application_decision_errors(
        application=application, decision=decision, rationale=rationale, external_id=external_id
    )
    if errors:
        raise ValidationError(errors)
    from_stage = application.stage
    hired = decision == Application.Decision.HIRE
    application.stage = Application.Stage.HIRED if hired else Application.Stage.REJECTED
    application.decision, application.decision_rationale = decision, rationale.strip()
    application.decided_by, application.decided_at = by, timezone.now()
    application.stage_changed_at = application.decided_at
    application.save(
        update_fields=[
            "stage",
            "decision",
            "decision_rationale",
            "decided_by",
            "decided_at",
            "stage_changed_at",
            "updated_at",
        ]
    )
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


CLOSE_OUT_NOT_FILLED = _("Close out the other candidates once someone is hired.")


@dataclass(frozen=True)
class CloseOutResult:
    closed: int
    cancelled: int


@transaction.atomic
def requisition_close_out(
    *,
    requisition: Requisition,
    applications: Iterable[Application],
    outcome: str,
    message: str,
    by: AbstractBaseUser | None,
) -> CloseOutResult:
    """After a hire, closes the requisition's other active `applications`: each rejected with `message` as
    the rationale, or withdrawn with it as the note (`outcome`: rejected or withdrawn), after cancelling
    its interviews still to come (their scorecards are drafts nobody will fill in; past ones stay). All or
    nothing. By the requisition's recruiter or hiring manager (PermissionDenied otherwise); a requisition
    that is not filled, an application of another requisition or already closed, or an empty message is
    a ValidationError."""
    require(by, policy.can_manage_requisition, requisition, message=policy.CANDIDATES_DENIED)
    applications = list(applications)
    errors = {}
    if requisition.status != Requisition.Status.FILLED:
        errors["__all__"] = CLOSE_OUT_NOT_FILLED
    if outcome not in (Application.Stage.REJECTED, Application.Stage.WITHDRAWN):
        errors["outcome"] = _("Choose reject or withdraw.")
    if not message.strip():
        errors["message"] = _("Write the message recorded on each application.")
    if any(application.requisition_id != requisition.pk or not application.is_active for application in applications):
        errors["applications"] = _("Choose active candidates of this requisition.")
    elif not applications:
        errors["applications"] = _("Choose at least one candidate.")
    if errors:
        raise ValidationError(errors)
    upcoming = Interview.objects.filter(
        application__in=applications, scorecard__status=Scorecard.Status.DRAFT, scheduled_at__gte=timezone.now()
    )
    cancelled = 0
    for interview in upcoming:
        interview_cancel(interview=interview, by=by)
        cancelled += 1
    for application in applications:
        if outcome == Application.Stage.REJECTED:
            application_decide(application=application, decision=Application.Decision.REJECT, rationale=message, by=by)
        else:
            application_move(application=application, to_stage=Application.Stage.WITHDRAWN, by=by, note=message)
    return CloseOutResult(closed=len(applications), cancelled=cancelled)
