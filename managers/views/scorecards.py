"""The interviewer's scorecard: rate each focus competency with its anchors in view, save a draft,
submit; once submitted it is read-only and amendments are added beside it. Only the interviewer opens
the form; a scorecard that is not theirs is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from enablement.web.errors import add_service_errors
from managers import policy
from managers.forms.hiring import AmendmentForm, ScorecardForm
from managers.models import Scorecard
from managers.services import hiring as services


def _own_scorecard(request: HttpRequest, pk: int) -> Scorecard:
    scorecards = Scorecard.objects.filter(interview__in=policy.own_interviews(request.user)).select_related(
        "interview__stage", "interview__application__candidate", "interview__application__requisition__role"
    )
    return get_object_or_404(scorecards, pk=pk)


@require_http_methods(["GET", "POST"])
@login_required
def scorecard_edit(request: HttpRequest, pk: int) -> HttpResponse:
    scorecard = _own_scorecard(request, pk)
    ratings = list(scorecard.ratings.select_related("competency"))
    if scorecard.is_submitted:
        return _submitted(request, scorecard, ratings)
    focus = scorecard.interview.stage.focus.select_related("competency")
    questions = {item.competency_id: item.question_list for item in focus}
    form = ScorecardForm(request.POST or None, scorecard=scorecard, ratings=ratings, questions=questions)
    confirming = False
    if request.method == "POST" and form.is_valid() and request.POST.get("submit", "confirmed") != "confirmed":
        confirming = _ready_to_submit(request, scorecard, form)
    elif request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        service = services.scorecard_submit if submit else services.scorecard_save_draft
        try:
            service(
                scorecard=scorecard,
                by=request.user,
                ratings=form.ratings(),
                recommendation=form.cleaned_data["recommendation"],
                summary=form.cleaned_data["summary"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            if submit:
                form.mark_missing_evidence()
        else:
            if submit:
                application = scorecard.interview.application
                if policy.can_see_feedback(request.user, application):
                    messages.success(
                        request, _("Scorecard submitted. You can now read the other interviewers' feedback.")
                    )
                else:
                    messages.success(request, _("Scorecard submitted. Submit your other one for this candidate too."))
                return redirect("managers:application-detail", pk=application.pk)
            messages.success(request, _("Draft saved."))
            return redirect("managers:scorecard-edit", pk=scorecard.pk)
    context = {"scorecard": scorecard, "form": form, "interview": scorecard.interview, "confirming": confirming}
    return render(request, "managers/scorecard_form.html", context, status=400 if form.errors else 200)


def _ready_to_submit(request: HttpRequest, scorecard: Scorecard, form: ScorecardForm) -> bool:
    """Submitting asks first: the work is saved as a draft, and if it could be submitted the page asks to
    confirm (a submitted scorecard cannot be changed); if not, the reasons go on the fields."""
    try:
        saved = services.scorecard_save_draft(
            scorecard=scorecard,
            by=request.user,
            ratings=form.ratings(),
            recommendation=form.cleaned_data["recommendation"],
            summary=form.cleaned_data["summary"],
        )
    except ValidationError as error:  # submitted meanwhile, from another tab
        add_service_errors(form, error)
        return False
    errors = services.scorecard_submit_errors(saved, saved.ratings.select_related("competency"))
    if errors:
        add_service_errors(form, ValidationError(errors))
        form.mark_missing_evidence()
        return False
    return True


def _submitted(request: HttpRequest, scorecard: Scorecard, ratings, amendment_form=None) -> HttpResponse:
    context = {
        "scorecard": scorecard,
        "ratings": ratings,
        "interview": scorecard.interview,
        "amendments": scorecard.amendments.select_related("author"),
        "amendment_form": amendment_form or AmendmentForm(),
    }
    return render(request, "managers/scorecard_submitted.html", context, status=200 if amendment_form is None else 400)


@require_POST
@login_required
def scorecard_amend(request: HttpRequest, pk: int) -> HttpResponse:
    scorecard = _own_scorecard(request, pk)
    form = AmendmentForm(request.POST)
    if form.is_valid():
        try:
            services.scorecard_amend(scorecard=scorecard, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Amendment added beside your scorecard."))
            return redirect("managers:scorecard-edit", pk=scorecard.pk)
    return _submitted(request, scorecard, list(scorecard.ratings.select_related("competency")), form)
