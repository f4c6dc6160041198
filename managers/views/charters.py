from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from managers import policy
from managers.selectors import charters as selectors


def _require_charter_manager(request: HttpRequest) -> None:
    if not policy.can_manage_charters(request.user):
        raise PermissionDenied("Role charters are written by sales leaders.")


@require_GET
@login_required
def role_list(request: HttpRequest) -> HttpResponse:
    _require_charter_manager(request)
    roles = selectors.role_overview_for(user=request.user)
    return render(request, "managers/role_list.html", {"roles": roles})
