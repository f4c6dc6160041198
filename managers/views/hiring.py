"""Hiring pages: the hiring home, requisitions with their plan, the candidate comparison and the
pipeline board, candidate profiles with scheduling and decisions, the recruiter's pending scorecards and
the CSV export. Requisitions a user may not see, and applications they are not on, are 404s. Who may
change what is the services' to decide (a 403 with their message); a page that shows a form asks the same
policy first, so it does not offer what the service would refuse."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enablement.accounts.policy import require
from enablement.web.errors import add_service_errors
from managers import policy
from managers.forms.hiring import CandidateApplicationForm, RequisitionForm
from managers.models import CLOSED_STAGES, Application, Requisition
from managers.selectors import hiring as selectors
from managers.services import hiring as services

BOARD_STAGES = [stage for stage in Application.Stage if stage not in CLOSED_STAGES]
# Rows a list on the hiring home shows at once, and candidates the comparison shows side by side.
HOME_ROWS = 20
COMPARISON_COLUMNS = 8


def requisition_for(request: HttpRequest, pk: int) -> Requisition:
    return get_object_or_404(
        policy.requisitions_visible_to(request.user).select_related("role", "hiring_manager", "recruiter"), pk=pk
    )


def _requisition_form(request: HttpRequest, instance: Requisition | None = None) -> RequisitionForm:
    return RequisitionForm(
        request.POST or None,
        instance=instance,
        hiring_managers=policy.hiring_managers_for(request.user).order_by("last_name", "first_name"),
        recruiters=policy.recruiters(),
    )


def paged(request: HttpRequest, queryset, param: str, per_page: int = HOME_ROWS):
    """One page of `queryset`, numbered by the query parameter `param` (a page shows several lists)."""
    return Paginator(queryset, per_page).get_page(request.GET.get(param))


@require_GET
@login_required
def hiring_home(request: HttpRequest) -> HttpResponse:
    """The user's interviews, the requisitions they work or oversee and the scorecards pending on them:
    each list a page of HOME_ROWS with its count, however many there are."""
    if not policy.can_see_hiring(request.user):
        raise PermissionDenied(_("Hiring is for recruiters, hiring managers, their leaders and interviewers."))
    context = {
        "requisitions": paged(request, selectors.requisition_overview_for(user=request.user), "requisitions_page"),
        "interviews": paged(request, selectors.interviews_for(user=request.user), "interviews_page"),
        "pending": paged(request, selectors.pending_scorecards_for(user=request.user), "pending_page"),
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
    """The candidates of a requisition side by side, COMPARISON_COLUMNS at a time (furthest along first):
    evidence, fit, each required competency, recommendations and flags, computed for the shown ones only.
    Columns of applications whose feedback the user may not read yet stay blank."""
    requisition = requisition_for(request, pk)
    return render_requisition_detail(request, requisition, CandidateApplicationForm())


def render_requisition_detail(
    request: HttpRequest, requisition: Requisition, add_form: CandidateApplicationForm, status: int = 200
) -> HttpResponse:
    page = paged(
        request, selectors.comparison_order(requisition.applications.all()), "page", per_page=COMPARISON_COLUMNS
    )
    applications = list(page.object_list)
    profiles = _readable_profiles(request, requisition, applications)
    add_form.helper.form_action = reverse("managers:application-create", args=[requisition.pk])
    context = {
        "requisition": requisition,
        "page": page,
        "columns": [(application, profiles.get(application.pk)) for application in applications],
        "requirements": requisition.role.requirements.select_related("competency"),
        "can_manage": policy.can_manage_requisition(request.user, requisition),
        "add_form": add_form,
        "still_active": _still_active_after_fill(requisition),
        "fit_min_coverage": selectors.FIT_MIN_COVERAGE,
    }
    return render(request, "managers/requisition_detail.html", context, status=status)


def _still_active_after_fill(requisition: Requisition) -> int:
    """Active candidates of a filled requisition: what the close-out offers to settle."""
    if requisition.status != Requisition.Status.FILLED:
        return 0
    return requisition.applications.exclude(stage__in=CLOSED_STAGES).count()


def _readable_profiles(request: HttpRequest, requisition: Requisition, applications: list[Application]) -> dict:
    """Candidate profiles of the applications whose feedback the user may read; the others stay out, so
    an interviewer still drafting learns nothing from counts or flags either."""
    readable = policy.applications_with_feedback_for(request.user).filter(
        requisition=requisition, pk__in=[application.pk for application in applications]
    )
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
    """Applications by stage, BOARD_LANE_LIMIT cards a lane with the lane's count; the recruiter and hiring
    manager move a card with one click (withdrawing asks first; hired and rejected are reached by
    recording a decision on the candidate's page). Profiles are computed for the shown cards only."""
    requisition = requisition_for(request, pk)
    cards, counts = selectors.board_lanes(requisition.applications.all())
    shown = [application for stage in BOARD_STAGES for application in cards[stage]]
    profiles = _readable_profiles(request, requisition, shown)
    moves = _board_moves()
    lanes = []
    for stage in BOARD_STAGES:
        lane = [(application, profiles.get(application.pk), moves[stage]) for application in cards[stage]]
        lanes.append((stage, lane, counts.get(stage, 0)))
    context = {
        "requisition": requisition,
        "lanes": lanes,
        "closed": [
            (stage, cards[stage], counts.get(stage, 0)) for stage in Application.Stage if stage in CLOSED_STAGES
        ],
        "can_manage": policy.can_manage_requisition(request.user, requisition),
        "now": timezone.now(),
    }
    return render(request, "managers/pipeline_board.html", context)


@require_POST
@login_required
def application_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Adds a candidate; a refused one comes back on the requisition page with the errors on the fields
    and what was typed kept (400)."""
    requisition = requisition_for(request, pk)
    form = CandidateApplicationForm(request.POST)
    if form.is_valid():
        try:
            application, created = services.candidate_apply(
                requisition=requisition, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if not created:
                messages.info(
                    request,
                    _("%(name)s was already a candidate; this application is added to their record.")
                    % {"name": application.candidate},
                )
            return redirect("managers:application-detail", pk=application.pk)
    return render_requisition_detail(request, requisition, form, status=400)


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
