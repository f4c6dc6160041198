from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from enablement import api_clients as api_client_services
from enablement import policy, selectors
from enablement.forms import ApiClientForm, PersonFilterForm
from enablement.health import worker_health
from enablement.navigation import urgent_home_for

PEOPLE_PER_PAGE = 50
API_CLIENTS_PER_PAGE = 50


def home_url_for(user) -> str | None:
    """Where a user starts: something waiting for them that an app registered, else what matters most
    for what they do here."""
    urgent = urgent_home_for(user)
    if urgent:
        return urgent
    if policy.can_view_org_overview(user):
        return reverse("enablement:org-overview")
    if policy.manages_anyone(user):
        return reverse("enablement:my-team")
    if policy.is_hr_admin(user) or policy.is_recruiter(user):
        return reverse("enablement:person-list")
    person = policy.person_for(user)
    if person is not None:
        return reverse("enablement:person-detail", args=[person.pk])
    return None


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    destination = home_url_for(request.user)
    if destination:
        return redirect(destination)
    return render(request, "enablement/home_unlinked.html")


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
    )
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "enablement/person_list.html", {"form": form, "page": page})


@require_GET
@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(policy.people_visible_to(request.user).select_related("team", "manager"), pk=pk)
    context = {
        "person": person,
        "manager_chain": selectors.manager_chain_of(person=person),
        "direct_reports": selectors.direct_reports_for(user=request.user, person=person),
        "can_change": policy.can_change_person(request.user, person),
    }
    return render(request, "enablement/person_detail.html", context)


@require_GET
@login_required
def my_team(request: HttpRequest) -> HttpResponse:
    person = policy.person_for(request.user)
    if person is None:
        raise Http404("Your account is not linked to anyone in the org.")
    team = selectors.direct_reports_for(user=request.user, person=person)
    context = {"person": person, "team": team, "headcount": selectors.headcount_by_status(team)}
    return render(request, "enablement/my_team.html", context)


@require_GET
@login_required
def org_overview(request: HttpRequest) -> HttpResponse:
    if not policy.can_view_org_overview(request.user):
        raise PermissionDenied("The organization overview is for sales leaders.")
    leader = policy.person_for(request.user)
    context = {
        "leader": leader,
        "managers": selectors.managers_under(leader=leader),
        "headcount": selectors.headcount_by_status(selectors.people_under(leader=leader)),
    }
    return render(request, "enablement/org_overview.html", context)


def _require_api_client_manager(request: HttpRequest) -> None:
    if not policy.can_manage_api_clients(request.user):
        raise PermissionDenied("API clients are managed by HR admins.")


@require_GET
@login_required
def api_client_list(request: HttpRequest) -> HttpResponse:
    _require_api_client_manager(request)
    page = Paginator(selectors.api_clients_for(user=request.user), API_CLIENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "enablement/api_client_list.html", {"page": page, "clients": page.object_list})


@require_http_methods(["GET", "POST"])
@login_required
@never_cache
def api_client_create(request: HttpRequest) -> HttpResponse:
    _require_api_client_manager(request)
    form = ApiClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            client, token = api_client_services.api_client_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Rendered here rather than after a redirect: the token is never stored, not even in the session.
            return render(request, "enablement/api_client_created.html", {"client": client, "token": token})
    return render(request, "enablement/api_client_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
def api_client_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST revokes."""
    _require_api_client_manager(request)
    client = get_object_or_404(selectors.api_clients_for(user=request.user), pk=pk)
    if request.method == "POST":
        api_client_services.api_client_revoke(client=client, by=request.user)
        messages.success(request, _("%(client)s is revoked: its token no longer works.") % {"client": client})
        return redirect("enablement:api-client-list")
    return render(request, "enablement/api_client_revoke.html", {"client": client})


@require_GET
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitors: the database answers, and a worker ran the heartbeat recently.
    "degraded" still answers 200, so a load balancer keeps serving pages while the workers lag."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    workers = worker_health()
    status = "ok" if workers["worker"] == "ok" else "degraded"
    return JsonResponse({"status": status, "database": "ok", **workers})
