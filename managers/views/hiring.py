"""Hiring pages: the hiring home, requisitions with their plan, the candidate comparison and the
pipeline board, candidate profiles with scheduling and decisions, the recruiter's pending scorecards and
the CSV export. Requisitions a user may not see, and applications they are not on, are 404s. Who may
change what is the services' to decide (a 403 with their message); a page that shows a form asks the same
policy first, so it does not offer what the service would refuse."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enablement.accounts.policy import require
from enablement.models import Person
from enablement.web.errors import report_errors
from managers import policy
from managers.charts import competency_profile_svg
from managers.forms.hiring import (
    CandidateApplicationForm,
    DecisionForm,
    InterviewScheduleForm,
    MoveForm,
    RequisitionForm,
)
from managers.models import CLOSED_STAGES, Application, Interview, Requisition
from managers.selectors import hiring as selectors
from managers.services import hiring as services

BOARD_STAGES = [stage for stage in Application.Stage if stage not in CLOSED_STAGES]


def _report_form(request: HttpRequest, form) -> None:
    """A form posted from a page that shows several forms: its errors come back as messages."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def requisition_for(request: HttpRequest, pk: int) -> Requisition:
    return get_object_or_404(
        policy.requisitions_visible_to(request.user).select_related("role", "hiring_manager", "recruiter"), pk=pk
    )


def _application(request: HttpRequest, pk: int) -> Application:
    return get_object_or_404(selectors.application_list(policy.applications_visible_to(request.user)), pk=pk)


def _requisition_form(request: HttpRequest, instance: Requisition | None = None) -> RequisitionForm:
    return RequisitionForm(
        request.POST or None,
        instance=instance,
        hiring_managers=policy.hiring_managers_for(request.user).order_by("last_name", "first_name"),
        recruiters=policy.recruiters(),
    )


@require_GET
@login_required
def hiring_home(request: HttpRequest) -> HttpResponse:
    if not policy.can_see_hiring(request.user):
        raise PermissionDenied(_("Hiring is for recruiters, hiring managers, their leaders and interviewers."))
    context = {
        "requisitions": selectors.requisition_overview_for(user=request.user),
        "interviews": selectors.interviews_for(user=request.user),
        "pending": selectors.pending_scorecards_for(user=request.user),
        "can_open": policy.can_open_requisitions(request.user),
        "now": timezone.now(),
        "overdue_before": selectors.scorecard_overdue_before(),
    }
    return render(request, "managers/hiring_home.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def requisition_create(request: HttpRequest) -> HttpResponse:
    require(request.user, policy.can_open_requisitions, message=policy.OPEN_REQUISITIONS_DENIED)
    form = _requisition_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            requisition = services.requisition_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Requisition opened. Plan its interviews next."))
            return redirect("managers:interview-plan", pk=requisition.pk)
    return render(request, "managers/requisition_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def requisition_edit(request: HttpRequest, pk: int) -> HttpResponse:
    requisition = requisition_for(request, pk)
    require(request.user, policy.can_manage_requisition, requisition, message=policy.REQUISITION_DENIED)
    form = _requisition_form(request, instance=Requisition.objects.get(pk=requisition.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.requisition_update(requisition=requisition, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Requisition saved."))
            return redirect("managers:requisition-detail", pk=requisition.pk)
    return render(request, "managers/requisition_form.html", {"form": form, "requisition": requisition})


@require_GET
@login_required
def requisition_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The candidates of a requisition side by side: fit, coverage, each required competency,
    recommendations and flags. Columns of applications whose feedback the user may not read yet stay blank."""
    requisition = requisition_for(request, pk)
    applications = list(selectors.application_list(requisition.applications.all()))
    profiles = _readable_profiles(request, requisition, applications)
    columns = [(application, profiles.get(application.pk)) for application in applications]
    add_form = CandidateApplicationForm()
    add_form.helper.form_action = reverse("managers:application-create", args=[requisition.pk])
    context = {
        "requisition": requisition,
        "columns": columns,
        "requirements": requisition.role.requirements.select_related("competency"),
        "plan": requisition.stages.prefetch_related("focus__competency"),
        "can_manage": policy.can_manage_requisition(request.user, requisition),
        "add_form": add_form,
    }
    return render(request, "managers/requisition_detail.html", context)


def _readable_profiles(request: HttpRequest, requisition: Requisition, applications: list[Application]) -> dict:
    """Candidate profiles of the applications whose feedback the user may read; the others stay out, so
    an interviewer still drafting learns nothing from counts or flags either."""
    readable = policy.applications_with_feedback_for(request.user).filter(requisition=requisition)
    readable_ids = set(readable.values_list("pk", flat=True))
    return selectors.candidate_profiles([application for application in applications if application.pk in readable_ids])


def _board_moves() -> dict[str, list[tuple[str, str]]]:
    """For each open stage, where a card can go with one click: back, forward, or withdrawn."""
    moves = {}
    for index, stage in enumerate(BOARD_STAGES):
        targets = []
        if index > 0:
            targets.append((BOARD_STAGES[index - 1].value, _("← %(stage)s") % {"stage": BOARD_STAGES[index - 1].label}))
        if index < len(BOARD_STAGES) - 1:
            targets.append((BOARD_STAGES[index + 1].value, _("%(stage)s →") % {"stage": BOARD_STAGES[index + 1].label}))
        targets.append((Application.Stage.WITHDRAWN.value, _("Withdraw")))
        moves[stage.value] = targets
    return moves


@require_GET
@login_required
def pipeline_board(request: HttpRequest, pk: int) -> HttpResponse:
    """Applications by stage; the recruiter and hiring manager move a card with one click (hired and
    rejected are reached by recording a decision on the candidate's page)."""
    requisition = requisition_for(request, pk)
    applications = list(selectors.application_list(requisition.applications.all()))
    profiles = _readable_profiles(request, requisition, applications)
    moves = _board_moves()
    lanes = {stage: [] for stage in Application.Stage}
    for application in applications:
        lanes[application.stage].append((application, profiles.get(application.pk), moves.get(application.stage, [])))
    context = {
        "requisition": requisition,
        "lanes": [(stage, lanes[stage]) for stage in BOARD_STAGES],
        "closed": [(stage, lanes[stage]) for stage in Application.Stage if stage in CLOSED_STAGES],
        "can_manage": policy.can_manage_requisition(request.user, requisition),
        "now": timezone.now(),
    }
    return render(request, "managers/pipeline_board.html", context)


@require_POST
@login_required
def application_create(request: HttpRequest, pk: int) -> HttpResponse:
    requisition = requisition_for(request, pk)
    form = CandidateApplicationForm(request.POST)
    if not form.is_valid():
        _report_form(request, form)
        return redirect("managers:requisition-detail", pk=requisition.pk)
    try:
        application, created = services.candidate_apply(requisition=requisition, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        report_errors(request, error)
        return redirect("managers:requisition-detail", pk=requisition.pk)
    if not created:
        messages.info(
            request,
            _("%(name)s was already a candidate; this application is added to their record.")
            % {"name": application.candidate},
        )
    return redirect("managers:application-detail", pk=application.pk)


def _schedule_form(application: Application, data=None) -> InterviewScheduleForm:
    interviewers = Person.objects.current().filter(user__is_active=True).order_by("last_name", "first_name")
    return InterviewScheduleForm(data, stages=application.requisition.stages.all(), interviewers=interviewers)


def _manager_forms(application: Application) -> dict:
    if not application.is_active:
        return {}
    schedule_form, decision_form = _schedule_form(application), DecisionForm()
    schedule_form.helper.form_action = reverse("managers:interview-schedule", args=[application.pk])
    decision_form.helper.form_action = reverse("managers:application-decide", args=[application.pk])
    return {"schedule_form": schedule_form, "decision_form": decision_form}


@require_GET
@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The candidate profile: per competency the mean, lowest, highest and count of submitted ratings,
    the weighted fit and the flags, the scorecards, and for the recruiter and hiring manager the forms
    to schedule, cancel, move and decide. Feedback, scorecard states and the decision's rationale show
    only to those who may read the feedback."""
    application = _application(request, pk)
    can_see_feedback = policy.can_see_feedback(request.user, application)
    can_manage = policy.can_manage_requisition(request.user, application.requisition)
    profile = selectors.candidate_profiles([application])[application.pk] if can_see_feedback else None
    own = policy.own_interviews(request.user).filter(application=application).select_related("scorecard", "stage")
    context = {
        "application": application,
        "candidate": application.candidate,
        "profile": profile,
        "chart": competency_profile_svg(profile.scores, label=_("Ratings against the required levels"))
        if profile
        else "",
        "scorecards": selectors.scorecards_of(user=request.user, application=application),
        "interviews": application.interviews.select_related("stage", "interviewer", "scorecard"),
        "own_drafts": [interview for interview in own if not interview.scorecard.is_submitted],
        "can_see_feedback": can_see_feedback,
        "can_manage": can_manage,
        "can_move": can_manage and application.stage not in services.DECIDED_STAGES,
        "events": application.events.select_related("actor")[:20] if can_manage else [],
        "move_form": MoveForm(initial={"stage": application.stage}),
        **(_manager_forms(application) if can_manage else {}),
    }
    return render(request, "managers/application_detail.html", context)


@require_POST
@login_required
def interview_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    interviews = Interview.objects.filter(application__in=policy.applications_visible_to(request.user).values("pk"))
    interview = get_object_or_404(interviews.select_related("application__requisition"), pk=pk)
    try:
        services.interview_cancel(interview=interview, by=request.user)
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, _("Interview cancelled."))
    return redirect("managers:application-detail", pk=interview.application_id)


@require_POST
@login_required
def application_move(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a stage to move the candidate to."))
    else:
        try:
            services.application_move(
                application=application,
                to_stage=form.cleaned_data["stage"],
                by=request.user,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            report_errors(request, error)
        else:
            messages.success(
                request,
                _("%(name)s moved to %(stage)s.")
                % {"name": application.candidate, "stage": Application.Stage(form.cleaned_data["stage"]).label},
            )
    if request.POST.get("next") == "board":
        return redirect("managers:pipeline-board", pk=application.requisition_id)
    return redirect("managers:application-detail", pk=application.pk)


@require_POST
@login_required
def interview_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = _schedule_form(application, request.POST)
    if form.is_valid():
        try:
            services.interview_schedule(application=application, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            report_errors(request, error)
        else:
            messages.success(request, _("Interview scheduled; the interviewer's scorecard is ready for them."))
    else:
        _report_form(request, form)
    return redirect("managers:application-detail", pk=application.pk)


@require_POST
@login_required
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.application_decide(application=application, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            report_errors(request, error)
        else:
            messages.success(request, _("Decision recorded."))
    else:
        _report_form(request, form)
    return redirect("managers:application-detail", pk=application.pk)


@require_GET
@login_required
def scorecards_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The submitted scorecards of a requisition as CSV, one row per rating: for its recruiter and hiring
    manager, who read the candidates' contact details."""
    requisition = requisition_for(request, pk)
    if not policy.can_manage_requisition(request.user, requisition):
        raise PermissionDenied(_("The scorecards are exported by the recruiter and the hiring manager."))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"scorecards-{slugify(requisition.title) or requisition.pk}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "candidate",
            "email",
            "interview",
            "interviewer",
            "interview_at",
            "submitted_at",
            "competency",
            "rating",
            "evidence",
            "recommendation",
            "summary",
        ]
    )
    for rating in selectors.submitted_ratings_for_export(requisition):
        writer.writerow([_csv_cell(value) for value in _export_row(rating)])
    return response


def _csv_cell(value):
    """Text a spreadsheet would run as a formula is prefixed with a quote (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _export_row(rating) -> list:
    scorecard = rating.scorecard
    interview = scorecard.interview
    candidate = interview.application.candidate
    return [
        candidate.full_name,
        candidate.email,
        interview.stage.name,
        interview.interviewer.full_name,
        interview.scheduled_at.isoformat(),
        scorecard.submitted_at.isoformat(),
        rating.competency.key,
        rating.rating if rating.rating is not None else "not assessed",
        rating.evidence,
        scorecard.get_recommendation_display(),
        scorecard.summary,
    ]
