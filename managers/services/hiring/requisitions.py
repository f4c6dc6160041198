"""A requisition and its interview plan: opening and changing a requisition, the interviews of its
plan and the competencies (and questions) each covers."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from enablement.accounts.policy import require
from enablement.models import Person, Team
from enablement.org.services import apply_validated, changed_fields
from managers import policy
from managers.models import Competency, InterviewFocus, InterviewStage, Requisition, Role

REQUISITION_FIELDS = ("title", "hiring_manager", "recruiter", "team", "status", "target_start", "external_id")


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
    """Opens a requisition for `role`, by a recruiter or a sales leader (PermissionDenied otherwise).
    Raises ValidationError with field messages."""
    require(by, policy.can_open_requisitions, message=policy.OPEN_REQUISITIONS_DENIED)
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
    stays, since candidates were assessed against it. Saves only what changed. By its recruiter or hiring
    manager (PermissionDenied otherwise), like every change to its interview plan below."""
    require(by, policy.can_manage_requisition, requisition, message=policy.REQUISITION_DENIED)
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
    require(by, policy.can_manage_requisition, requisition, message=policy.REQUISITION_DENIED)
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
    require(by, policy.can_manage_requisition, stage.requisition, message=policy.REQUISITION_DENIED)
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
    require(by, policy.can_manage_requisition, focus.stage.requisition, message=policy.REQUISITION_DENIED)
    questions = "\n".join(line.strip() for line in questions.splitlines() if line.strip())
    if focus.questions != questions:
        focus.questions = questions
        focus.save(update_fields=["questions", "updated_at"])
    return focus


@transaction.atomic
def interview_stage_remove(*, stage: InterviewStage, by: AbstractBaseUser | None) -> None:
    """Removes an interview from the plan; refused once an interview was scheduled from it."""
    require(by, policy.can_manage_requisition, stage.requisition, message=policy.REQUISITION_DENIED)
    if stage.interviews.exists():
        raise ValidationError(_("Interviews were scheduled for “%(name)s”, so it stays in the plan.") % {"name": stage})
    stage.delete()


# Candidates and applications
