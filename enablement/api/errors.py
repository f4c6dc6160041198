"""One shape for every error the API answers (`REST_FRAMEWORK["EXCEPTION_HANDLER"]`, and
`enablement.api.middleware.ApiErrorMiddleware` for what Django answers before or after DRF):

    {"status": 400, "code": "invalid", "detail": "A sentence for a person.",
     "errors": {"field": ["message", ...], "non_field_errors": ["message", ...]}}

`status` repeats the HTTP status; `code` is the DRF exception's `default_code` (not_authenticated,
authentication_failed, permission_denied, not_found, method_not_allowed, throttled, parse_error,
unsupported_media_type, precondition_failed, idempotency_key_reused, request_too_large, error, ...); `detail`
is always one human sentence. `errors` comes only with a 400 for invalid input, and keeps DRF's nesting: a
nested serializer's messages nest under its field, a list field's per item (a list of objects, or an object
keyed by the row's index).

DRF looks its exception handler up when a view first fails, so this module may import DRF's views; the
authentication and permission classes, which DRF imports while loading them, must not import this.
"""

from collections.abc import Mapping

from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

__all__ = ["RequestTooLarge", "api_exception_handler", "api_validation_error", "error_body", "error_response"]

NON_FIELD = "non_field_errors"


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = gettext_lazy("The request body is larger than this API accepts.")
    default_code = "request_too_large"


def api_validation_error(error: DjangoValidationError) -> exceptions.ValidationError:
    """A service's ValidationError as DRF's: `{"field": [...]}` or `{"non_field_errors": [...]}`."""
    non_field_key = api_settings.NON_FIELD_ERRORS_KEY
    if not hasattr(error, "error_dict"):
        return exceptions.ValidationError({non_field_key: error.messages})
    return exceptions.ValidationError(
        {
            non_field_key if field == NON_FIELD_ERRORS else field: messages
            for field, messages in error.message_dict.items()
        }
    )


def _sentence(detail: object) -> str:
    """One string from whatever an exception carried as its detail (a string, a list, or a dict)."""
    if isinstance(detail, Mapping):
        return " ".join(_sentence(value) for value in detail.values())
    if isinstance(detail, list | tuple):
        return " ".join(_sentence(value) for value in detail)
    return str(detail)


def _field_errors(detail: object) -> dict:
    """A ValidationError's detail as an object of messages: a bare list or string is about the body as a
    whole (a top-level list of row errors, from a `many=True` serializer, stays a list under that key)."""
    if isinstance(detail, Mapping):
        return dict(detail)
    if isinstance(detail, list | tuple):
        return {NON_FIELD: list(detail)}
    return {NON_FIELD: [detail]}


def _validation_detail(errors: Mapping) -> str:
    messages = errors.get(NON_FIELD)
    if set(errors) == {NON_FIELD} and messages and all(isinstance(message, str) for message in messages):
        return " ".join(str(message) for message in messages)  # a rule the change broke, e.g. from a service
    return _("The request is not valid: see errors for what to change.")


def error_body(exc: exceptions.APIException) -> dict:
    """The body for a DRF exception, in the shape the module docstring describes."""
    if isinstance(exc, exceptions.ValidationError):
        errors = _field_errors(exc.detail)
        return {
            "status": exc.status_code,
            "code": exc.default_code,
            "detail": _validation_detail(errors),
            "errors": errors,
        }
    return {"status": exc.status_code, "code": exc.default_code, "detail": _sentence(exc.detail)}


def error_response(status_code: int, code: str, detail: str, **headers: str) -> HttpResponse:
    """An error answered outside DRF (by middleware), in the same shape."""
    response = JsonResponse({"status": status_code, "code": code, "detail": str(detail)}, status=status_code)
    for name, value in headers.items():
        response[name] = value
    return response


def _as_api_exception(exc: Exception) -> Exception:
    if isinstance(exc, DjangoValidationError):
        return api_validation_error(exc)
    if isinstance(exc, RequestDataTooBig):
        return RequestTooLarge()
    if isinstance(exc, Http404):
        return exceptions.NotFound(*exc.args)
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(*exc.args)
    return exc


def api_exception_handler(exc: Exception, context: dict):
    """DRF's handler (status, `WWW-Authenticate`, `Retry-After`, rollback), then the body reshaped. None for
    an unexpected exception, which Django turns into a 500 (`ApiErrorMiddleware` answers it as JSON)."""
    exc = _as_api_exception(exc)
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    response.data = error_body(exc)
    return response


def is_error_body(data: object) -> bool:
    """Whether `data` is already in the error shape (a kept idempotent answer, say)."""
    return isinstance(data, Mapping) and {"status", "code", "detail"} <= data.keys()


def legacy_error_body(status_code: int, data: object) -> dict:
    """A 4xx body kept in DRF's own shape (an idempotent answer stored before this shape existed), reshaped."""
    if status_code == status.HTTP_400_BAD_REQUEST and not (isinstance(data, Mapping) and set(data) == {"detail"}):
        return error_body(exceptions.ValidationError(data))
    detail = data.get("detail", data) if isinstance(data, Mapping) else data
    code = {
        401: "not_authenticated",
        403: "permission_denied",
        404: "not_found",
        412: "precondition_failed",
        422: "idempotency_key_reused",
    }.get(status_code, "error")
    return {"status": status_code, "code": code, "detail": _sentence(detail)}
