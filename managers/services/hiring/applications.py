"""Candidates and their applications: finding or creating a candidate, putting them on a requisition and
moving their application through the stages, each move recorded as an ApplicationEvent."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from enablement.accounts.policy import require
from enablement.org.services import apply_validated, normalized_email
from managers import policy
from managers.models import Application, ApplicationEvent, Candidate, Requisition

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


@transaction.atomic
def candidate_upsert(
    *,
    email: str,
    first_name: str,
    last_name: str,
    external_id: str = "",
    phone: str = "",
    profile_url: str = "",
    by: AbstractBaseUser | None,
) -> tuple[Candidate, bool]:
    """Finds the candidate by email (case-insensitive) or the ATS's external id, or creates one; returns
    it and whether it was created. A found candidate gets the fields it was missing when `by` may fill
    them in (`policy.fills_in_candidate_details`: not for someone who may not see that candidate); what
    it has is kept. PermissionDenied for someone who adds no candidates; ValidationError when the email
    and the external id belong to two different candidates."""
    require(by, policy.can_add_candidates, message=policy.ADD_CANDIDATES_DENIED)
    email = normalized_email(email)
    lookup = Q(email__iexact=email) | (Q(external_id=external_id) if external_id else Q(pk__in=[]))
    matches = list(Candidate.objects.select_for_update().filter(lookup)[:2])
    if len(matches) > 1:
        raise ValidationError({"external_id": _("This external id belongs to another candidate than this email does.")})
    values = {
        "first_name": first_name,
        "last_name": last_name,
        "email": email,
        "phone": phone,
        "external_id": external_id,
        "profile_url": profile_url,
    }
    if not matches:
        candidate = Candidate(**values)
        candidate.full_clean()
        candidate.save()
        return candidate, True
    candidate = matches[0]
    missing = {name: value for name, value in values.items() if value and not getattr(candidate, name)}
    if missing and (by is None or policy.fills_in_candidate_details(by, email)):
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
    """Puts a candidate on a requisition, at "applied", by its recruiter or hiring manager (PermissionDenied
    otherwise). Refused when the requisition is not open or the candidate already applied to it."""
    require(by, policy.can_manage_requisition, requisition, message=policy.CANDIDATES_DENIED)
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
    require(by, policy.can_manage_requisition, requisition, message=policy.CANDIDATES_DENIED)
    if not requisition.is_open:
        raise ValidationError(_("This requisition is %(status)s.") % {"status": requisition.get_status_display()})
    candidate, created = candidate_upsert(by=by, **candidate_fields)
    return application_create(candidate=candidate, requisition=requisition, by=by, source=source), created


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("requisition", "candidate").get(pk=application.pk)


@transaction.atomic
def application_move(
    *, application: Application, to_stage: str, by: AbstractBaseUser | None, note: str = ""
) -> Application:
    """Moves an application to another stage and records the move; the same stage changes nothing.
    Hired and rejected are reached by a decision and are final; a withdrawn candidate can come back. By
    the requisition's recruiter or hiring manager (PermissionDenied otherwise)."""
    application = _locked(application)
    require(by, policy.can_manage_requisition, application.requisition, message=policy.CANDIDATES_DENIED)
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
