"""The HR admin's webhook pages. Every page is for HR admins signed in as themselves (403 for anyone
else, the sign-in page for anonymous visitors); every command is a POST."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enablement.web.errors import add_service_errors, report_errors
from enablement.webhooks import selectors, services
from enablement.webhooks.delivery import envelope_body
from enablement.webhooks.forms import WebhookEndpointForm
from enablement.webhooks.models import WebhookEndpoint
from enablement.webhooks.policy import can_manage_webhooks

DELIVERIES_PER_PAGE = 25


def _require_webhook_manager(request: HttpRequest) -> None:
    if not can_manage_webhooks(request.user):
        raise PermissionDenied("Webhooks are managed by HR admins.")


def _endpoint(request: HttpRequest, pk: int) -> WebhookEndpoint:
    _require_webhook_manager(request)
    return get_object_or_404(WebhookEndpoint, pk=pk)


@require_GET
@login_required
def endpoint_list(request: HttpRequest) -> HttpResponse:
    _require_webhook_manager(request)
    return render(request, "webhooks/endpoint_list.html", {"endpoints": selectors.endpoints_with_stats()})


@require_http_methods(["GET", "POST"])
@login_required
def endpoint_create(request: HttpRequest) -> HttpResponse:
    _require_webhook_manager(request)
    form = WebhookEndpointForm(request.POST or None, submit_label=_("Create endpoint"))
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = services.endpoint_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Endpoint created. Paste its signing secret into the receiver."))
            return redirect("webhooks:endpoint-detail", pk=endpoint.pk)
    return render(request, "webhooks/endpoint_form.html", {"form": form, "endpoint": None})


@require_GET
@login_required
@never_cache
def endpoint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Shows the signing secret(s): the HR admin pastes them into the receiver."""
    endpoint = _endpoint(request, pk)
    page = Paginator(selectors.deliveries_of(endpoint), DELIVERIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "webhooks/endpoint_detail.html", {"endpoint": endpoint, "page": page})


@require_http_methods(["GET", "POST"])
@login_required
def endpoint_update(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = _endpoint(request, pk)
    initial = {"url": endpoint.url, "description": endpoint.description, "event_types": endpoint.event_types}
    form = WebhookEndpointForm(request.POST or None, initial=initial, submit_label=_("Save"))
    if request.method == "POST" and form.is_valid():
        try:
            services.endpoint_update(endpoint=endpoint, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Endpoint saved."))
            return redirect("webhooks:endpoint-detail", pk=endpoint.pk)
    return render(request, "webhooks/endpoint_form.html", {"form": form, "endpoint": endpoint})


@require_POST
@login_required
def endpoint_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = services.endpoint_set_active(endpoint=_endpoint(request, pk), active=False, by=request.user)
    messages.success(request, _("%(endpoint)s is deactivated: it receives no events.") % {"endpoint": endpoint})
    return redirect("webhooks:endpoint-detail", pk=pk)


@require_POST
@login_required
def endpoint_activate(request: HttpRequest, pk: int) -> HttpResponse:
    endpoint = services.endpoint_set_active(endpoint=_endpoint(request, pk), active=True, by=request.user)
    messages.success(request, _("%(endpoint)s is active again.") % {"endpoint": endpoint})
    return redirect("webhooks:endpoint-detail", pk=pk)


@require_POST
@login_required
def endpoint_rotate_secret(request: HttpRequest, pk: int) -> HttpResponse:
    services.endpoint_rotate_secret(endpoint=_endpoint(request, pk), by=request.user)
    messages.success(request, _("New secret made. The old one keeps signing beside it for the grace period."))
    return redirect("webhooks:endpoint-detail", pk=pk)


@require_POST
@login_required
def endpoint_send_test(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        delivery = services.webhook_send_test(endpoint=_endpoint(request, pk), by=request.user)
    except ValidationError as error:
        report_errors(request, error)
        return redirect("webhooks:endpoint-detail", pk=pk)
    messages.success(request, _("Test event queued."))
    return redirect("webhooks:delivery-detail", pk=delivery.pk)


@require_GET
@login_required
def delivery_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_webhook_manager(request)
    delivery = get_object_or_404(selectors.deliveries_for_pages(), pk=pk)
    context = {"delivery": delivery, "attempts": delivery.attempts.all(), "body": envelope_body(delivery.event)}
    return render(request, "webhooks/delivery_detail.html", context)


@require_POST
@login_required
def delivery_redeliver(request: HttpRequest, pk: int) -> HttpResponse:
    _require_webhook_manager(request)
    delivery = get_object_or_404(selectors.deliveries_for_pages(), pk=pk)
    try:
        services.delivery_redeliver(delivery=delivery, by=request.user)
    except ValidationError as error:
        report_errors(request, error)
    else:
        messages.success(request, _("Redelivery queued: the receiver gets the event again now."))
    return redirect("webhooks:delivery-detail", pk=pk)
