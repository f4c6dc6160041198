"""Interviews: scheduling one of the plan with an interviewer (which starts their draft scorecard) and
cancelling one whose scorecard is still a draft."""

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enablement.accounts.policy import require
from enablement.models import Person
from managers import policy
from managers.models import Application, ApplicationEvent, Interview, InterviewStage, Scorecard, ScorecardRating
from managers.selectors.interviewers import interviewer_pool
from managers.services.hiring.applications import _locked, _record


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
    to interviews. By the requisition's recruiter or hiring manager (PermissionDenied otherwise)."""
    application = _locked(application)
    require(by, policy.can_manage_requisition, application.requisition, message=policy.CANDIDATES_DENIED)
    errors = {}
    if stage.requisition_id != application.requisition_id:
        errors["stage"] = _("This interview is not part of this requisition's plan.")
    if not interviewer_pool().filter(pk=interviewer.pk).exists():
        errors["interviewer"] = _("The interviewer must be a current manager or leader with a login.")
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
    feedback stays. By the requisition's recruiter or hiring manager (PermissionDenied otherwise)."""
    interview = (
        Interview.objects.select_for_update(of=("self",))
        .select_related("scorecard", "stage", "interviewer", "application__requisition")
        .get(pk=interview.pk)
    )
    require(by, policy.can_manage_requisition, interview.application.requisition, message=policy.CANDIDATES_DENIED)
    if interview.scorecard.is_submitted:
        raise ValidationError(
            _("%(person)s already submitted a scorecard for this interview.") % {"person": interview.interviewer}
        )
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
