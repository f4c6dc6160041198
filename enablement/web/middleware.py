"""Page requests: input no page could take is refused before any view."""

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

from enablement.api.middleware import API_PATH_PREFIX
from enablement.web.input_checks import SURROGATE_MESSAGE, has_unpaired_surrogate

# Paths whose views check their own query strings and bodies, answering in their own error shape: the API
# (enablement.api.query_params, enablement.api.parsers) and SCIM.
SELF_CHECKING_PREFIXES = (API_PATH_PREFIX, "/scim/")
FORM_CONTENT_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


class RequestTextMiddleware:
    """Refuses with a 400 a page request whose query string or form fields, once decoded, hold an unpaired
    surrogate (`enablement.web.input_checks`). Django decodes UTF-8 with replacement characters, so only a request
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
