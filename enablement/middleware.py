import logging
from collections.abc import Callable

from django.conf import settings
from django.core import signals
from django.core.exceptions import BadRequest
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils.log import log_response
from django.utils.translation import gettext_lazy as _
from rest_framework.response import Response

from enablement.api_errors import error_response
from enablement.input_checks import SURROGATE_MESSAGE, has_unpaired_surrogate
from enablement.models import ApiClient, ApiRequestLog

logger = logging.getLogger(__name__)

API_PATH_PREFIX = "/api/"
# Paths whose views check their own query strings and bodies, answering in their own error shape: the API
# (enablement.query_params, enablement.parsers) and SCIM.
SELF_CHECKING_PREFIXES = (API_PATH_PREFIX, "/scim/")
FORM_CONTENT_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}

# What Django answers on its own for an /api/ path (no DRF view ran, or one crashed), as the API's error.
_DJANGO_ERRORS = {
    400: ("bad_request", _("The request could not be read.")),
    403: ("permission_denied", _("You do not have permission to perform this action.")),
    404: ("not_found", _("There is no such API endpoint.")),
    405: ("method_not_allowed", _("This method is not allowed here.")),
    413: ("request_too_large", _("The request body is larger than this API accepts.")),
    500: ("error", _("Something went wrong on our side; it has been logged. Try again later.")),
}


def _log_api_request(request: HttpRequest, client: ApiClient, status_code: int) -> None:
    try:
        ApiRequestLog.objects.create(
            client=client,
            method=request.method[: ApiRequestLog._meta.get_field("method").max_length],
            path=request.path[: ApiRequestLog._meta.get_field("path").max_length],
            status_code=status_code,
        )
    except DatabaseError:
        logger.exception("API request not logged: client=%s path=%s", client.prefix, request.path)


class ApiRequestLogMiddleware:
    """Writes one `ApiRequestLog` row for every request an API client's token authenticated, and for every
    one refused although it named a client (its prefix) that exists: a wrong secret, a revoked token, an
    owner who lost their rights (`enablement.authentication.TokenAuthentication` marks those).

    DRF puts the credential it accepted on the Django request too (`request.auth`), so this sees every
    API view, whichever app or base class it comes from, and the final status code, errors included. A
    session request, or a token naming no client, writes nothing. One INSERT, after the response is ready,
    outside any transaction the view ran in. A failed INSERT is logged and the real response still goes
    out: a client told "500" after a committed write retries it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        client = getattr(request, "auth", None)
        if not isinstance(client, ApiClient):
            client = getattr(request, "refused_api_client", None)
        if isinstance(client, ApiClient):
            _log_api_request(request, client, response.status_code)
        return response


class ApiErrorMiddleware:
    """Answers, for paths under /api/, what Django would answer with an HTML page in the API's JSON error
    shape (`enablement.api_errors`): an unknown path (404), a body larger than
    `DATA_UPLOAD_MAX_MEMORY_SIZE` (413, refused before it is read: DRF's JSON parser reads the stream
    without Django's check), and an exception no view handled (500, logged and signalled as Django does;
    with DEBUG on, Django's debug page instead). Everything else passes through untouched.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PATH_PREFIX):
            return self.get_response(request)
        if self._too_large(request):
            return self._error(413)
        response = self.get_response(request)
        # DRF's own answers (JSON, or the browsable API's page for a browser) are already in the shape.
        answered_by_drf = isinstance(response, Response)
        is_json = response.get("Content-Type", "").startswith("application/json")
        if response.status_code in _DJANGO_ERRORS and not (answered_by_drf or is_json or settings.DEBUG):
            return self._error(response.status_code)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith(API_PATH_PREFIX) or settings.DEBUG:
            return None
        # What Django's own handler would do before its 500 page: tell listeners (the test client re-raises
        # from this signal) and log it at ERROR with the traceback.
        signals.got_request_exception.send(sender=None, request=request)
        response = self._error(500)
        log_response(
            "%s: %s", "Internal Server Error", request.path, response=response, request=request, exception=exception
        )
        return response

    @staticmethod
    def _too_large(request: HttpRequest) -> bool:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return False  # Django refuses a malformed length itself
        return limit is not None and length > limit

    @staticmethod
    def _error(status_code: int) -> HttpResponse:
        code, detail = _DJANGO_ERRORS[status_code]
        return error_response(status_code, code, str(detail))


class RequestTextMiddleware:
    """Refuses with a 400 a page request whose query string or form fields, once decoded, hold an unpaired
    surrogate (`enablement.input_checks`). Django decodes UTF-8 with replacement characters, so only a request
    declaring another charset (UTF-7: `+2AA-`) can carry one; no form, query or page could take it (neither
    database stores it, no page echoing it can be encoded). A NUL is left to the forms, whose text fields
    refuse it beside the field. The API and SCIM check their own input (`SELF_CHECKING_PREFIXES`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(SELF_CHECKING_PREFIXES) and self._has_surrogate(request):
            raise BadRequest(SURROGATE_MESSAGE)
        return self.get_response(request)

    @staticmethod
    def _has_surrogate(request: HttpRequest) -> bool:
        fields = [request.GET]
        if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
            fields.append(request.POST)
        return any(
            has_unpaired_surrogate(text) for data in fields for key, values in data.lists() for text in (key, *values)
        )
