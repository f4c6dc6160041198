"""The leader's pages: the gap heatmap (team by competency over the leader's sub-tree, computed in the
database) with drill-down to people and their evidence, who has no active plan, whose coaching is
overdue, who left recently and where their coaching work went; and the development-activity library
plans draw their tasks from."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods

from coaching import policy
from coaching.forms_team import ActivityForm
from coaching.models import DevelopmentActivity
from coaching.selectors.gaps import HeatmapCell, heatmap_cells, people_with_gap
from coaching.selectors.leavers import RECENTLY_LEFT_DAYS, recent_handovers_for
from coaching.selectors.plans import managers_without_active_plan, overdue_tasks_by_coach
from coaching.services import plans as services
from coaching.views.team import add_errors
from enablement.models import Team
from enablement.web.input_checks import parse_id
from managers.models import Competency

NO_TEAM = "none"
# Average gap (in levels) from which a cell takes each shade: the blind spots stand out in red.
SHADES = (
    (Decimal("1.5"), "bg-danger text-white"),
    (Decimal("1.0"), "bg-danger-subtle"),
    (Decimal("0.5"), "bg-warning-subtle"),
    (Decimal("0.01"), "bg-success-subtle"),
    (Decimal(0), "bg-success text-white"),
)
NOT_ASSESSED_SHADE = "bg-body-secondary text-body-secondary"
LEGEND = (
    ("bg-success text-white", _lazy("no gap")),
    ("bg-success-subtle", _lazy("under 0.5")),
    ("bg-warning-subtle", _lazy("0.5 to 1")),
    ("bg-danger-subtle", _lazy("1 to 1.5")),
    ("bg-danger text-white", _lazy("1.5 or more")),
    (NOT_ASSESSED_SHADE, _lazy("nobody assessed")),
)


def shade(average_gap: Decimal | None) -> str:
    if average_gap is None:
        return NOT_ASSESSED_SHADE
    return next(css for floor, css in SHADES if average_gap >= floor)


@dataclass(frozen=True)
class GridCell:
    competency: Competency
    cell: HeatmapCell | None
    css: str


def _grid(cells: list[HeatmapCell]) -> tuple[list[Competency], list[tuple[Team | None, list[GridCell]]]]:
    """Rows of teams (by name, "No team" last) by columns of competencies (by name). Two queries."""
    by_key = {(cell.team_id, cell.competency_id): cell for cell in cells}
    teams = Team.objects.in_bulk({cell.team_id for cell in cells if cell.team_id is not None})
    competencies = sorted(
        Competency.objects.in_bulk({cell.competency_id for cell in cells}).values(), key=lambda item: item.name
    )
    ordered_teams: list[Team | None] = sorted(teams.values(), key=lambda team: team.name)
    if any(cell.team_id is None for cell in cells):
        ordered_teams.append(None)
    rows = []
    for team in ordered_teams:
        team_id = team.pk if team else None
        row = []
        for competency in competencies:
            cell = by_key.get((team_id, competency.pk))
            row.append(GridCell(competency, cell, shade(cell.average_gap) if cell else ""))
        rows.append((team, row))
    return competencies, rows


def _require_heatmap(request: HttpRequest) -> None:
    if not policy.can_see_heatmap(request.user):
        raise PermissionDenied(_("The gap heatmap is for sales leaders, over the people below them."))


@require_GET
@login_required
def heatmap(request: HttpRequest) -> HttpResponse:
    _require_heatmap(request)
    competencies, rows = _grid(heatmap_cells(policy.heatmap_people_for(request.user)))
    context = {
        "competencies": competencies,
        "rows": rows,
        "no_team": NO_TEAM,
        "legend": LEGEND,
        "without_plan": managers_without_active_plan(user=request.user),
        "overdue_by_coach": overdue_tasks_by_coach(user=request.user),
        "recently_left": recent_handovers_for(user=request.user),
        "recently_left_days": RECENTLY_LEFT_DAYS,
    }
    return render(request, "coaching/heatmap.html", context)


@require_GET
@login_required
def heatmap_cell(request: HttpRequest, team: str, competency: int) -> HttpResponse:
    """One cell of the heatmap: each person of the team (in the leader's scope) whose role requires the
    competency, with their gap and the evidence behind it."""
    _require_heatmap(request)
    people = policy.heatmap_people_for(request.user)
    if team == NO_TEAM:
        team_obj, people = None, people.filter(team__isnull=True)
    elif (team_pk := parse_id(team)) is not None:
        team_obj = get_object_or_404(Team.objects.filter(pk__in=people.values("team")), pk=team_pk)
        people = people.filter(team=team_obj)
    else:
        raise Http404
    competency_obj = get_object_or_404(Competency, pk=competency)
    context = {"team": team_obj, "competency": competency_obj, "rows": people_with_gap(people, competency_obj)}
    return render(request, "coaching/heatmap_cell.html", context)


@require_GET
@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    can_manage = policy.can_manage_activities(request.user)
    if not (can_manage or policy.coaches_anyone(request.user)):
        raise PermissionDenied(_("The activity library is for coaches and sales leaders."))
    activities = DevelopmentActivity.objects.select_related("competency")
    if not can_manage:
        activities = activities.filter(is_active=True)
    return render(request, "coaching/activity_list.html", {"activities": activities, "can_manage": can_manage})


def _require_library_editor(request: HttpRequest) -> None:
    if not policy.can_manage_activities(request.user):
        raise PermissionDenied(_("The activity library is written by sales leaders."))


@require_http_methods(["GET", "POST"])
@login_required
def activity_create(request: HttpRequest) -> HttpResponse:
    _require_library_editor(request)
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Activity added to the library."))
            return redirect("coaching:activity-list")
    return render(request, "coaching/activity_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    _require_library_editor(request)
    activity = get_object_or_404(DevelopmentActivity.objects.select_related("competency"), pk=pk)
    # A copy for the form: a bound ModelForm writes onto its instance, and the service compares with the stored.
    form = ActivityForm(request.POST or None, instance=DevelopmentActivity.objects.get(pk=activity.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(activity=activity, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Activity saved.") if activity.is_active else _("Activity retired."))
            return redirect("coaching:activity-list")
    return render(request, "coaching/activity_form.html", {"form": form, "activity": activity})
