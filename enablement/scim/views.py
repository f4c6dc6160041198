"""The one view serving /scim/v2/: DRF authenticates (so the API request log sees the client), then
scim2-server's handler serves the request over `DjangoStorage`, in one transaction."""

import logging
from contextlib import nullcontext
from http import HTTPStatus

from django.db import transaction
from django.http import HttpResponse
from django.urls import reverse
from pydantic_core import to_json
from rest_framework import exceptions
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.views import APIView
from scim2_models import (
    Context,
    ForbiddenException,
    PayloadTooLargeException,
    SCIMException,
    UnauthorizedException,
)
from scim2_server.handler import ScimHandler
from scim2_server.requests import ScimRequest
from scim2_server.responses import SCIM_MEDIA_TYPE, ScimResponse
from scim2_server.routing import Operation
from scim2_server.service import ScimService

from enablement.api.authentication import TokenAuthentication
from enablement.api.permissions import ScopedPermission
from enablement.scim.guards import check_body
from enablement.scim.schemas import MAX_BODY_BYTES, PROVIDER
from enablement.scim.storage import DjangoStorage

logger = logging.getLogger(__name__)


class Service(ScimService):
    """scim2-server's protocol, with one answer changed."""

    def patch_response(self, base_url, resource, response_parameters) -> ScimResponse:
        """200 with the resource, never 204: RFC 7644 §3.5.2 allows either, and Okta expects the body."""
        return self.resource_response(
            self.publish(base_url, resource), Context.RESOURCE_PATCH_RESPONSE, response_parameters
        )


SERVICE = Service(PROVIDER)
SCOPE = "scim"


class ScimAuthentication(TokenAuthentication):
    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="SCIM"'


class ScimView(APIView):
    """Every SCIM endpoint. Only API client tokens with the `scim` scope get in: no session, no other
    scope. The discovery document /ServiceProviderConfig is open, as RFC 7643 §5 and scim2-server have it,
    so an IdP can read which authentication to use."""

    authentication_classes = [ScimAuthentication]
    permission_classes = [IsAuthenticated, ScopedPermission]
    required_scopes = {"read": SCOPE, "write": SCOPE}
    parser_classes: list = []  # the body is read raw, and at most MAX_BODY_BYTES of it

    def get_permissions(self):
        if _operation(self.request) is Operation.service_provider_config:
            return []
        return super().get_permissions()

    def perform_content_negotiation(self, request: Request, force: bool = False):
        # Responses are written here, always application/scim+json, whatever Accept says.
        return JSONRenderer(), SCIM_MEDIA_TYPE

    def handle_exception(self, exc: Exception) -> HttpResponse:
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            return _http(SERVICE.error_response(UnauthorizedException(detail=str(exc.detail))))
        if isinstance(exc, exceptions.PermissionDenied):
            return _http(SERVICE.error_response(ForbiddenException(detail=str(exc.detail))))
        if isinstance(exc, exceptions.APIException):  # throttled, above all: 429 with Retry-After
            headers = {"Retry-After": str(int(exc.wait))} if getattr(exc, "wait", None) else {}
            body = _error_body(exc.status_code, str(exc.detail))
            return _http(ScimResponse(HTTPStatus(exc.status_code), body, headers))
        # A bug: logged with its traceback, answered as SCIM's 500 (no detail leaks), as scim2-server does.
        logger.exception("SCIM request failed: %s %s", self.request.method, self.request.path, exc_info=exc)
        return _http(SERVICE.error_response(exc))

    def serve(self, request: Request, path: str = "") -> HttpResponse:
        scim_request = ScimRequest(
            method=request.method,
            base_url=request.build_absolute_uri(reverse("scim:root")).rstrip("/"),
            path=f"/{path}".removesuffix(".scim"),
            query=request.query_params.dict(),
            headers=dict(request.headers),
        )
        try:
            scim_request.body = _read_body(request)
            check_body(scim_request.body, search=scim_request.path.endswith("/.search"))
            writes = request.method != "GET"
            handler = ScimHandler(SERVICE, DjangoStorage(lock=writes))
            with transaction.atomic() if writes else nullcontext():  # a failing write writes nothing
                response = handler.handle(scim_request)
        except SCIMException as exc:
            logger.info("SCIM %s %s: %s %s", request.method, request.path, exc.status, exc)
            response = SERVICE.error_response(exc)
        response.headers.setdefault("Cache-Control", "no-cache")
        return _http(response)

    get = post = put = patch = delete = serve


def _operation(request) -> Operation | None:
    path = "/" + request.path.removeprefix(reverse("scim:root"))
    try:
        return SERVICE.match(ScimRequest(method=request.method, base_url="", path=path)).operation
    except SCIMException:
        return None


def _read_body(request: Request) -> bytes:
    """The body, at most MAX_BODY_BYTES: a larger one is a 413 before anything is parsed."""
    django_request = request._request
    declared = django_request.META.get("CONTENT_LENGTH") or "0"
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise PayloadTooLargeException(detail=f"The body exceeds {MAX_BODY_BYTES} bytes.")
    body = django_request.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        raise PayloadTooLargeException(detail=f"The body exceeds {MAX_BODY_BYTES} bytes.")
    return body


def _error_body(status: int, detail: str) -> dict:
    return {"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": str(status), "detail": detail}


def _http(response: ScimResponse) -> HttpResponse:
    body = b"" if response.body is None else to_json(response.body)
    http = HttpResponse(body, status=response.status.value)
    for name, value in response.headers.items():
        http[name] = value
    return http
