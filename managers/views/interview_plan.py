"""A requisition's interview plan: which interviews it has and which competencies each covers. Read by
whoever sees the requisition; changed by its recruiter and hiring manager (the services refuse anyone
else; the forms show only to them)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from enablement.accounts.policy import require
from enablement.web.errors import report_errors
from managers import policy
from managers.forms.hiring import FocusQuestionsForm, InterviewStageForm
from managers.models import Competency, InterviewFocus, InterviewStage
from managers.services import hiring as services
from managers.views.hiring import requisition_for


def _stage_form(data=None, **kwargs) -> InterviewStageForm:
    return InterviewStageForm(data, competencies=Competency.objects.filter(is_active=True), **kwargs)


def _visible_requisitions(request: HttpRequest):
    return policy.requisitions_visible_to(request.user).values("pk")


def _stage(request: HttpRequest, pk: int) -> InterviewStage:
    stages = InterviewStage.objects.filter(requisition__in=_visible_requisitions(request))
    return get_object_or_404(stages.select_related("requisition"), pk=pk)


@require_http_methods(["GET", "POST"])
@login_required
def interview_plan(request: HttpRequest, pk: int) -> HttpResponse:
    requisition = requisition_for(request, pk)
    can_manage = policy.can_manage_requisition(request.user, requisition)
    form = _stage_form(request.POST or None, submit_label=_("Add interview"))
    if request.method == "POST" and form.is_valid():
        try:
            services.interview_stage_add(requisition=requisition, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Interview added to the plan."))
            return redirect("managers:interview-plan", pk=requisition.pk)
    required = list(requisition.role.requirements.select_related("competency"))
    stages = list(requisition.stages.prefetch_related("focus__competency"))
    covered = {focus.competency_id for stage in stages for focus in stage.focus.all()}
    context = {
        "requisition": requisition,
        "stages": stages,
        "form": form if can_manage else None,
        "required": required,
        "uncovered": [item for item in required if item.competency_id not in covered],
        "can_manage": can_manage,
    }
    return render(request, "managers/interview_plan.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def interview_stage_edit(request: HttpRequest, pk: int) -> HttpResponse:
    stage = _stage(request, pk)
    require(request.user, policy.can_manage_requisition, stage.requisition, message=policy.REQUISITION_DENIED)
    initial = {
        "name": stage.name,
        "duration_minutes": stage.duration_minutes,
        "competencies": list(stage.focus.values_list("competency", flat=True)),
    }
    form = _stage_form(request.POST or None, initial=initial, submit_label=_("Save interview"))
    if request.method == "POST" and form.is_valid():
        try:
            services.interview_stage_update(stage=stage, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Interview saved."))
            return redirect("managers:interview-plan", pk=stage.requisition_id)
    return render(request, "managers/interview_stage_form.html", {"form": form, "stage": stage})


@require_POST
@login_required
def interview_stage_remove(request: HttpRequest, pk: int) -> HttpResponse:
    stage = _stage(request, pk)
    try:
        services.interview_stage_remove(stage=stage, by=request.user)
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, _("Interview removed from the plan."))
    return redirect("managers:interview-plan", pk=stage.requisition_id)


@require_POST
@login_required
def interview_focus_questions(request: HttpRequest, pk: int) -> HttpResponse:
    focuses = InterviewFocus.objects.filter(stage__requisition__in=_visible_requisitions(request))
    focus = get_object_or_404(focuses.select_related("stage__requisition"), pk=pk)
    form = FocusQuestionsForm(request.POST)
    if form.is_valid():
        services.interview_focus_questions_save(focus=focus, by=request.user, **form.cleaned_data)
        messages.success(request, _("Questions saved."))
    return redirect("managers:interview-plan", pk=focus.stage.requisition_id)
