"""The API clients page: list, create (the token shown once) and revoke, for those who manage clients."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from enablement.accounts import policy
from enablement.api.clients import selectors as api_client_selectors
from enablement.api.clients import services as api_client_services
from enablement.api.clients.forms import ApiClientForm

API_CLIENTS_PER_PAGE = 50


def _require_api_client_manager(request: HttpRequest) -> None:
    if not policy.can_manage_api_clients(request.user):
        raise PermissionDenied("API clients are managed by HR admins.")


@require_GET
@login_required
def api_client_list(request: HttpRequest) -> HttpResponse:
    _require_api_client_manager(request)
    page = Paginator(api_client_selectors.api_clients_for(user=request.user), API_CLIENTS_PER_PAGE).get_page(
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
    client = get_object_or_404(api_client_selectors.api_clients_for(user=request.user), pk=pk)
    if request.method == "POST":
        api_client_services.api_client_revoke(client=client, by=request.user)
        messages.success(request, _("%(client)s is revoked: its token no longer works.") % {"client": client})
        return redirect("enablement:api-client-list")
    return render(request, "enablement/api_client_revoke.html", {"client": client})
