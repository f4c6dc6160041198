"""The leader's pages: the gap heatmap (a row per direct report over their sub-tree, by competency,
computed in the database; drill-down a level at a time and into each cell's people and their evidence),
who has no active plan, whose coaching is overdue, who left recently and where their coaching work went;
and the development-activity library plans draw their tasks from."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods

from coaching import policy
from coaching.forms_team import ActivityForm
from coaching.models import DevelopmentActivity
from coaching.selectors.gaps import RollUpCell, gap_rows, heatmap_roll_up, people_with_gap
from coaching.selectors.leavers import RECENTLY_LEFT_DAYS, recent_handovers_for
from coaching.selectors.plans import managers_without_active_plan, overdue_tasks_by_coach
from coaching.services import plans as services
from enablement.accounts import policy as org_policy
from enablement.accounts.policy import require
from enablement.models import Person
from enablement.org.tree import ancestors, descendant_ids
from enablement.web.errors import add_service_errors
from enablement.web.input_checks import parse_id
from managers.models import Competency

ALL = "all"
DRILL_DOWN_PAGE_SIZE = 50
# Average gap (in levels) from which a cell takes each shade: the larger the gap, the stronger the colour, so
# the eye goes to the blind spots; "no gap" is the palest. Each shade carries its own text colour (contrast).
SHADES = (
    (Decimal("1.5"), "gap-shade-4"),
    (Decimal("1.0"), "gap-shade-3"),
    (Decimal("0.5"), "gap-shade-2"),
    (Decimal("0.01"), "gap-shade-1"),
    (Decimal(0), "gap-shade-0"),
)
NOT_ASSESSED_SHADE = "gap-not-assessed"
LEGEND = (
    ("gap-shade-0", _lazy("no gap")),
    ("gap-shade-1", _lazy("under 0.5")),
    ("gap-shade-2", _lazy("0.5 to 1")),
    ("gap-shade-3", _lazy("1 to 1.5")),
    ("gap-shade-4", _lazy("1.5 or more")),
    (NOT_ASSESSED_SHADE, _lazy("nobody assessed")),
)


def shade(average_gap: Decimal | None) -> str:
    if average_gap is None:
        return NOT_ASSESSED_SHADE
    return next(css for floor, css in SHADES if average_gap >= floor)


def _require_heatmap(request: HttpRequest) -> None:
    if not policy.can_see_heatmap(request.user):
        raise PermissionDenied(_("The gap heatmap is for sales leaders, over the people below them."))


def _cells(cells: list[RollUpCell], head: str, competencies: list[Competency], assessed_text: str) -> list[dict]:
    """One row's cells, ready to print: shade, figure, link and how many of how many were assessed."""
    by_competency = {cell.competency_id: cell for cell in cells}
    row = []
    for competency in competencies:
        cell = by_competency.get(competency.pk)
        if cell is None:
            row.append({"competency": competency, "required": False})
            continue
        row.append(
            {
                "competency": competency,
                "required": True,
                "css": shade(cell.average_gap),
                "gap": "" if cell.average_gap is None else str(cell.average_gap),
                "figure": "—" if cell.average_gap is None else f"{cell.average_gap:.2f}",
                "coverage": assessed_text % {"assessed": cell.assessed, "people": cell.people},
                "partly": cell.assessed < cell.people,
                "url": reverse("coaching:heatmap-cell", args=[head, competency.pk]),
            }
        )
    return row


def _roll_up_grid(request: HttpRequest, root: Person) -> dict:
    """The heatmap one level below `root` (the viewer, or someone below them they drilled into): a row per
    direct report of `root` over their sub-tree, `root`'s own row if they hold a role, and the average row.
    Three queries whatever the size of the tree; rows grow with `root`'s direct reports only."""
    people = policy.heatmap_people_for(request.user)
    cells = heatmap_roll_up(people, root)
    competencies = sorted(
        Competency.objects.in_bulk({cell.competency_id for cell in cells}).values(), key=lambda item: item.name
    )
    has_reports = Exists(Person.objects.filter(manager=OuterRef("pk"), pk__in=people.values("pk")))
    heads = (
        Person.objects.filter(pk__in={cell.head_id for cell in cells if cell.head_id is not None})
        .annotate(has_reports=has_reports)
        .select_related("team")
    )
    by_head: dict[int | None, list[RollUpCell]] = {}
    for cell in cells:
        by_head.setdefault(cell.head_id, []).append(cell)
    assessed_text = _("%(assessed)s of %(people)s assessed")
    rows = []
    for head in sorted(heads, key=lambda person: (person.pk != root.pk, person.last_name, person.first_name)):
        own = head.pk == root.pk
        rows.append(
            {
                "person": head,
                "own": own,
                "people": max(cell.people for cell in by_head[head.pk]),
                "drill_url": None if own or not head.has_reports else reverse("coaching:heatmap-under", args=[head.pk]),
                "cells": _cells(by_head[head.pk], str(head.pk), competencies, assessed_text),
            }
        )
    everyone = ALL if root.user_id == request.user.pk else str(root.pk)
    average = _cells(by_head.get(None, []), everyone, competencies, assessed_text) if rows else []
    return {"competencies": competencies, "rows": rows, "average": average}


def _heatmap_page(request: HttpRequest, root: Person, trail: list[Person]) -> HttpResponse:
    context = {
        **_roll_up_grid(request, root),
        "root": root,
        "trail": trail,
        "legend": LEGEND,
        "without_plan": managers_without_active_plan(user=request.user),
        "overdue_by_coach": overdue_tasks_by_coach(user=request.user),
        "recently_left": recent_handovers_for(user=request.user),
        "recently_left_days": RECENTLY_LEFT_DAYS,
    }
    return render(request, "coaching/heatmap.html", context)


@require_GET
@login_required
def heatmap(request: HttpRequest) -> HttpResponse:
    """The leader's heatmap: a row per direct report, each over their sub-tree, whatever the org's size."""
    _require_heatmap(request)
    return _heatmap_page(request, org_policy.person_for(request.user), [])


def _trail(request: HttpRequest, person: Person) -> list[Person]:
    """The people between the viewer and `person` (both left out), top first: the breadcrumb. One query."""
    me = org_policy.person_for(request.user)
    chain = []
    for above in ancestors(Person, "manager", person.pk):
        if above.pk == me.pk:
            break
        chain.append(above)
    return list(reversed(chain))


@require_GET
@login_required
def heatmap_under(request: HttpRequest, pk: int) -> HttpResponse:
    """The heatmap drilled into someone below the leader: a row per person reporting to them."""
    _require_heatmap(request)
    person = get_object_or_404(policy.heatmap_people_for(request.user), pk=pk)
    return _heatmap_page(request, person, _trail(request, person))


@require_GET
@login_required
def heatmap_cell(request: HttpRequest, row: str, competency: int) -> HttpResponse:
    """One cell of the heatmap: each person of the row (someone in the leader's scope and everyone below
    them, or `all` of the leader's scope) whose role requires the competency, with their gap and the evidence
    behind it, largest gap first, a page at a time."""
    _require_heatmap(request)
    people = policy.heatmap_people_for(request.user)
    if row == ALL:
        head = None
    elif (head_pk := parse_id(row)) is not None:
        head = get_object_or_404(people, pk=head_pk)
        people = people.filter(Q(pk=head.pk) | Q(pk__in=descendant_ids(Person, "manager", head.pk)))
    else:
        raise Http404
    competency_obj = get_object_or_404(Competency, pk=competency)
    page = Paginator(gap_rows(people, competency_obj), DRILL_DOWN_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "head": head,
        "trail": _trail(request, head) if head else [],
        "competency": competency_obj,
        "rows": people_with_gap(people, competency_obj, rows=page.object_list),
        "page": page,
    }
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
    # The library's forms are shown to sales leaders only (the services refuse anyone else).
    require(request.user, policy.can_manage_activities, message=policy.ACTIVITIES_DENIED)


@require_http_methods(["GET", "POST"])
@login_required
def activity_create(request: HttpRequest) -> HttpResponse:
    _require_library_editor(request)
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
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
            add_service_errors(form, error)
        else:
            messages.success(request, _("Activity saved.") if activity.is_active else _("Activity retired."))
            return redirect("coaching:activity-list")
    return render(request, "coaching/activity_form.html", {"form": form, "activity": activity})
