"""The people pages: the directory (with a headcount, and "leads a team" for everyone who manages people, with or
without a charter role), a person and my team. The organization overview is Manager impact's now."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from enablement.accounts import policy
from enablement.org import selectors
from enablement.org.forms import PersonFilterForm
from enablement.web.navigation import person_links_for, team_page_url

PEOPLE_PER_PAGE = 50


@require_GET
@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    form = PersonFilterForm(request.GET or None, teams=policy.teams_visible_to(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    people = selectors.person_directory_for(
        user=request.user,
        search=filters.get("q", ""),
        status=filters.get("status", ""),
        team=filters.get("team"),
        leads=filters.get("leads", False),
    )
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "headcount": selectors.headcount_by_status(people)}
    return render(request, "enablement/person_list.html", context)


@require_GET
@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(policy.people_visible_to(request.user).select_related("team", "manager"), pk=pk)
    context = {
        "person": person,
        "manager_chain": selectors.manager_chain_of(person=person),
        "direct_reports": selectors.direct_reports_for(user=request.user, person=person),
        "can_change": policy.can_change_person(request.user, person),
        "person_links": person_links_for(request.user, person),  # e.g. their development, from coaching
    }
    return render(request, "enablement/person_detail.html", context)


@require_GET
@login_required
def my_team(request: HttpRequest) -> HttpResponse:
    person = policy.person_for(request.user)
    if person is None:
        raise Http404("Your account is not linked to anyone in the org.")
    if (team_page := team_page_url()) is not None:
        return redirect(team_page)  # one "My team": the app's (coaching's), with the team's development
    team = selectors.direct_reports_for(user=request.user, person=person)
    context = {"person": person, "team": team, "headcount": selectors.headcount_by_status(team)}
    return render(request, "enablement/my_team.html", context)
