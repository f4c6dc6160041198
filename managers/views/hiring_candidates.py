"""A candidate's page and what the recruiter and hiring manager do from it: schedule and cancel interviews
(the interviewer picked by searching, `interviewer_search`), move the application, record the decision, and
after a hire close out the requisition's other candidates. A form that fails comes back on the page with
the errors on its fields and what was typed kept (400). What cannot be undone (a decision, a withdrawal, a
close-out) is asked first: the page shows what will happen and a button that posts `confirmed`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enablement.accounts.policy import require
from enablement.web.errors import add_service_errors, report_errors
from enablement.web.input_checks import parse_id, text_problem
from managers import policy
from managers.charts import competency_profile_svg
from managers.forms.hiring import CloseOutForm, DecisionForm, InterviewScheduleForm, MoveForm, interviewer_label
from managers.models import Application, Interview, Requisition
from managers.selectors import hiring as selectors
from managers.selectors import interviewers
from managers.services import hiring as services
from managers.views.hiring import requisition_for

CONFIRMED = "confirmed"


def _application(request: HttpRequest, pk: int) -> Application:
    return get_object_or_404(selectors.application_list(policy.applications_visible_to(request.user)), pk=pk)


def _schedule_form(application: Application, data=None) -> InterviewScheduleForm:
    form = InterviewScheduleForm(
        data,
        stages=application.requisition.stages.all(),
        interviewers=interviewers.interviewer_pool(),
        suggested=interviewers.suggested_interviewers(application.requisition),
        search_url=reverse("managers:interviewer-search", args=[application.pk]),
    )
    form.helper.form_action = reverse("managers:interview-schedule", args=[application.pk])
    return form


def _decision_form(application: Application, data=None) -> DecisionForm:
    form = DecisionForm(data)
    form.helper.form_action = reverse("managers:application-decide", args=[application.pk])
    return form


def _detail(request: HttpRequest, application: Application, status: int = 200, **forms) -> HttpResponse:
    """The candidate page; `forms` replaces a form of the page by the bound one that was posted, and
    `confirm_decision` asks to confirm a decision before it is recorded."""
    can_see_feedback = policy.can_see_feedback(request.user, application)
    can_manage = policy.can_manage_requisition(request.user, application.requisition)
    profile = selectors.candidate_profiles([application])[application.pk] if can_see_feedback else None
    own = policy.own_interviews(request.user).filter(application=application).select_related("scorecard", "stage")
    context = {
        "application": application,
        "candidate": application.candidate,
        "profile": profile,
        "fit_min_coverage": selectors.FIT_MIN_COVERAGE,
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
    }
    if can_manage and application.is_active:
        context["schedule_form"] = forms.get("schedule_form") or _schedule_form(application)
        context["decision_form"] = forms.get("decision_form") or _decision_form(application)
        context["confirm_decision"] = forms.get("confirm_decision")
    return render(request, "managers/application_detail.html", context, status=status)


@require_GET
@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The candidate profile: the evidence (scorecards in, requirement weight covered) first, the fit once
    the coverage reaches FIT_MIN_COVERAGE, per competency the mean, lowest, highest and count of submitted
    ratings, the flags, the scorecards, and for the recruiter and hiring manager the forms to schedule,
    cancel, move and decide. Feedback, scorecard states and the decision's rationale show only to those
    who may read the feedback."""
    return _detail(request, _application(request, pk))


@require_GET
@login_required
def interviewer_search(request: HttpRequest, pk: int) -> JsonResponse:
    """Who may interview this candidate, matching `q` (every word in the name, email or title): at most
    interviewers.INTERVIEWER_MATCHES, as `{"results": [{"value", "text"}]}`. For the requisition's recruiter and
    hiring manager, who schedule (403 otherwise; another's candidate is a 404)."""
    application = _application(request, pk)
    if not policy.can_manage_requisition(request.user, application.requisition):
        raise PermissionDenied(policy.CANDIDATES_DENIED)
    query = request.GET.get("q", "")
    if problem := text_problem(query):
        return JsonResponse({"errors": {"q": [problem]}}, status=400)
    people = interviewers.interviewers_matching(query)
    return JsonResponse({"results": [{"value": person.pk, "text": interviewer_label(person)} for person in people]})


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
    """Moves an application; a withdrawal is asked first (a page saying what it means, with a note)."""
    application = _application(request, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a stage to move the candidate to."))
    elif (
        form.cleaned_data["stage"] == Application.Stage.WITHDRAWN
        and CONFIRMED not in request.POST
        and application.stage not in services.DECIDED_STAGES  # the service says why it cannot be withdrawn
    ):
        require(request.user, policy.can_manage_requisition, application.requisition, message=policy.CANDIDATES_DENIED)
        context = {"application": application, "form": form, "next": request.POST.get("next", "")}
        return render(request, "managers/application_withdraw_confirm.html", context)
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
            add_service_errors(form, error)
        else:
            messages.success(request, _("Interview scheduled; the interviewer's scorecard is ready for them."))
            return redirect("managers:application-detail", pk=application.pk)
    return _detail(request, application, status=400, schedule_form=form)


@require_POST
@login_required
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Records the decision once confirmed: the first post shows what it will do (a hire creates or links
    the employee, gives them the role and fills the requisition; both are final) with a button to confirm.
    A hire then goes on to close out the requisition's other candidates."""
    application = _application(request, pk)
    form = _decision_form(application, request.POST)
    if not form.is_valid():
        return _detail(request, application, status=400, decision_form=form)
    if CONFIRMED not in request.POST:
        require(request.user, policy.can_manage_requisition, application.requisition, message=policy.CANDIDATES_DENIED)
        data = form.cleaned_data
        errors = services.application_decision_errors(
            application=application,
            decision=data["decision"],
            rationale=data["rationale"],
            external_id=data["external_id"],
        )
        if errors:  # said now, beside the fields, rather than after the confirmation
            add_service_errors(form, ValidationError(errors))
            return _detail(request, application, status=400, decision_form=form)
        return _detail(request, application, decision_form=form, confirm_decision=data)
    try:
        services.application_decide(application=application, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        add_service_errors(form, error)
        return _detail(request, application, status=400, decision_form=form)
    messages.success(request, _("Decision recorded."))
    hired = form.cleaned_data["decision"] == Application.Decision.HIRE
    if hired and selectors.close_out_candidates(application.requisition).exists():
        return redirect("managers:requisition-close-out", pk=application.requisition_id)
    return redirect("managers:application-detail", pk=application.pk)


@require_http_methods(["GET", "POST"])
@login_required
def requisition_close_out(request: HttpRequest, pk: int) -> HttpResponse:
    """After a hire: the requisition's other active candidates, to reject or withdraw with a message, and
    their pending interviews, cancelled with them. The page is the confirmation; posting it does it."""
    requisition = requisition_for(request, pk)
    require(request.user, policy.can_manage_requisition, requisition, message=policy.CANDIDATES_DENIED)
    if requisition.status != Requisition.Status.FILLED:
        messages.info(request, services.CLOSE_OUT_NOT_FILLED)
        return redirect("managers:requisition-detail", pk=requisition.pk)
    remaining = selectors.close_out_candidates(requisition)
    form = CloseOutForm(request.POST or None, applications=remaining)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.requisition_close_out(requisition=requisition, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            closed = ngettext("%(count)s candidate closed out", "%(count)s candidates closed out", result.closed) % {
                "count": result.closed
            }
            cancelled = ngettext(
                "%(count)s pending interview cancelled", "%(count)s pending interviews cancelled", result.cancelled
            ) % {"count": result.cancelled}
            messages.success(request, f"{closed}; {cancelled}.")
            return redirect("managers:requisition-detail", pk=requisition.pk)
    shown = list(remaining[: selectors.CLOSE_OUT_LIMIT])
    posted = {value for value in request.POST.getlist("applications") if parse_id(value) is not None}
    context = {
        "requisition": requisition,
        "form": form,
        "shown": shown,
        "more": max(remaining.count() - len(shown), 0) if len(shown) == selectors.CLOSE_OUT_LIMIT else 0,
        "checked": {a.pk for a in shown if not form.is_bound or str(a.pk) in posted},
    }
    return render(request, "managers/requisition_close_out.html", context, status=400 if form.errors else 200)
