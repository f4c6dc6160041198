"""The Manager impact pages: a leader's page over every manager below them (filters, roll-ups per director and
for the organization, the lever charts, a page of cards grouped by director), a manager's card with the
evidence behind each figure, and My impact (a manager's own card).

The page's work follows what it shows: the roll-ups and the charts read one small row of figures per manager in
view (`coaching.impact.overview`, aggregates), and cards are built for the page of 25 only. Under "only those who
need attention" every card in view is built, since a flag may come from any figure, and the roll-ups are read
off those cards."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from coaching import policy
from coaching.impact.charts import SURVEY_SHARE, lever_charts, meeting_svg
from coaching.impact.forms import ImpactFilterForm
from coaching.impact.overview import ManagerFigures, figures_of, manager_figures
from coaching.impact.rollups import RollUp, rollups_for
from coaching.impact.selectors import (
    ManagerImpact,
    impact_card_for,
    impact_filter_options,
    impact_managers_for,
    narrowed,
    published_versions,
)
from coaching.impact.selectors import manager_impacts as compute
from coaching.pulse.selectors import PulseResults
from coaching.pulse.thresholds import min_respondents
from enablement.accounts import policy as org_policy
from enablement.models import Person

MANAGERS_PER_PAGE = 25


@dataclass
class Group:
    rollup: RollUp
    impacts: list[ManagerImpact]


def _groups(page_impacts: list[ManagerImpact], rollups: dict) -> list[Group]:
    """The page's managers under their director's roll-up (computed over all of that director's managers)."""
    groups: list[Group] = []
    for impact in page_impacts:
        key = impact.director.pk if impact.director else None
        if not groups or groups[-1].rollup is not rollups[key]:
            groups.append(Group(rollups[key], []))
        groups[-1].impacts.append(impact)
    return groups


def _bands_of(request: HttpRequest, filters: dict):
    """Whose pulse roll-up the "everyone shown" row carries: the director's when the page shows one director's
    managers, the viewer's when it shows all; none under a role, team or attention filter, whose managers no
    released roll-up describes (and the pulse rules allow no narrower one)."""
    if any(filters.get(name) for name in ("role", "team", "attention")):
        return None
    if filters.get("director"):
        return Person.objects.filter(pk=filters["director"]).first()
    return org_policy.person_for(request.user)


def _in_view(
    request: HttpRequest, managers: list[Person], results: PulseResults, *, attention: bool
) -> tuple[Page, list[ManagerImpact], list[ManagerFigures]]:
    """The page of managers shown, their cards, and the figures of everyone in view (for roll-ups and charts)."""
    if attention:
        flagged = [entry for entry in compute(managers, results=results) if entry.flags]
        page = Paginator(flagged, MANAGERS_PER_PAGE).get_page(request.GET.get("page"))
        return page, list(page.object_list), figures_of(flagged)
    page = Paginator(managers, MANAGERS_PER_PAGE).get_page(request.GET.get("page"))
    versions = published_versions({manager.current_role_id for manager in managers})  # the cards' and the figures'
    cards = compute(list(page.object_list), results=results, versions=versions)
    return page, cards, manager_figures(managers, today=results.today, versions=versions)


def _link_attention(request: HttpRequest, rollups: dict, org: RollUp) -> None:
    """Each roll-up links to its managers who need attention (the filter: who is flagged is on their cards)."""
    query = request.GET.copy()
    query.pop("page", None)
    query["attention"] = "on"
    org.attention_query = query.urlencode()
    for key, rollup in rollups.items():
        if key is not None:  # the same filters, narrowed to the director: whom the roll-up counts
            narrowed = query.copy()
            narrowed["director"] = key
            rollup.attention_query = narrowed.urlencode()


@require_GET
@login_required
def impact(request: HttpRequest) -> HttpResponse:
    if not policy.can_see_impact(request.user):
        raise PermissionDenied(_("Manager impact is for sales leaders, over the managers below them."))
    everyone = list(impact_managers_for(user=request.user))  # read once: the filters' options and the rows
    form = ImpactFilterForm(request.GET or None, **impact_filter_options(everyone))
    filters = form.cleaned_data if form.is_valid() else {}
    managers = narrowed(everyone, director=filters.get("director"), role=filters.get("role"), team=filters.get("team"))
    results = PulseResults()
    page, page_impacts, figures = _in_view(request, managers, results, attention=filters.get("attention"))
    rollups, org = rollups_for(figures, results=results, viewer=_bands_of(request, filters), title=_("Everyone shown"))
    if not filters.get("attention"):
        _link_attention(request, rollups, org)
    context = {
        "form": form,
        "page": page,
        "groups": _groups(page_impacts, rollups),
        "org": org,
        "directors": list(rollups.values()),
        "charts": lever_charts(figures),
        "survey_share": SURVEY_SHARE,
        "meeting_chart": meeting_svg(org.meeting_share, measured=org.measured, meeting=org.meeting),
        "threshold": min_respondents(),
    }
    return render(request, "coaching/impact/impact.html", context)


def _card(request: HttpRequest, impact: ManagerImpact) -> HttpResponse:
    viewer = org_policy.person_for(request.user)
    own = viewer is not None and viewer.pk == impact.manager.pk
    context = {"impact": impact, "own": own, "threshold": min_respondents()}
    return render(request, "coaching/impact/card.html", context)


@require_GET
@login_required
def impact_card(request: HttpRequest, pk: int) -> HttpResponse:
    """One manager's card with the evidence behind each figure: for the leaders above them and themselves."""
    manager = get_object_or_404(impact_card_for(user=request.user), pk=pk)
    return _card(request, compute([manager], history=True)[0])


@require_GET
@login_required
def my_impact(request: HttpRequest) -> HttpResponse:
    person = org_policy.person_for(request.user)
    manager = impact_card_for(user=request.user).filter(pk=person.pk).first() if person else None
    if manager is None:
        raise Http404(_("My impact is for managers who hold a role."))
    return _card(request, compute([manager], history=True)[0])
