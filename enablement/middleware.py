import logging
from collections.abc import Callable

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse

from enablement.models import ApiClient, ApiRequestLog

logger = logging.getLogger(__name__)


class ApiRequestLogMiddleware:
    """Writes one `ApiRequestLog` row for every request an API client's token authenticated.

    DRF puts the credential it accepted on the Django request too (`request.auth`), so this sees every
    API view, whichever app or base class it comes from, and the final status code, errors included. A
    session request, or a token that was refused (no client to attribute it to), writes nothing. One
    INSERT, after the response is ready, outside any transaction the view ran in. A failed INSERT is
    logged and the real response still goes out: a client told "500" after a committed write retries it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        client = getattr(request, "auth", None)
        if isinstance(client, ApiClient):
            try:
                ApiRequestLog.objects.create(
                    client=client,
                    method=request.method[: ApiRequestLog._meta.get_field("method").max_length],
                    path=request.path[: ApiRequestLog._meta.get_field("path").max_length],
                    status_code=response.status_code,
                )
            except DatabaseError:
                logger.exception("API request not logged: client=%s path=%s", client.prefix, request.path)
        return response
