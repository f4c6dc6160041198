"""Pieces every app's API shares: bearer-token authentication, token scopes checked per viewset, service
errors answered as 400s (in the one error shape of `enablement.api.errors`), idempotent POSTs and optimistic
concurrency, and the base viewset that reads with an output serializer and runs commands through services."""

import hashlib
import json
from collections.abc import Callable, Mapping
from functools import partial

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.http import Http404
from django.utils.http import parse_etags
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.utils.encoders import JSONEncoder
from rest_framework.utils.serializer_helpers import ReturnDict

from enablement.api.authentication import TokenAuthentication
from enablement.api.errors import api_validation_error, is_error_body, legacy_error_body
from enablement.api.idempotency import (
    MAX_KEY_LENGTH,
    idempotency_claim,
    idempotency_record_response,
    idempotency_response_data,
    request_fingerprint,
)
from enablement.api.permissions import ScopedPermission

__all__ = [
    "ConditionalRequestsMixin",
    "KeyRelatedField",
    "ScopedPermission",
    "ServiceErrorsMixin",
    "ServiceViewSet",
    "TokenAuthentication",
    "api_validation_error",
    "representation_etag",
]

# Answers that say "send it again": never kept for an Idempotency-Key, so the retry runs (a 409 is a
# concurrent write that got there first, a 429 a throttle).
RETRYABLE_STATUSES = {status.HTTP_409_CONFLICT, status.HTTP_429_TOO_MANY_REQUESTS}

# What DRF answers with a response rather than a 500 (its exception handler, and ServiceErrorsMixin).
HANDLED_ERRORS = (exceptions.APIException, Http404, DjangoPermissionDenied, DjangoValidationError)


class ServiceErrorsMixin:
    """Answers a django ValidationError raised by a service with a 400 carrying its messages (in the error
    shape of `enablement.api.errors`, like every other API error)."""

    def handle_exception(self, exc: Exception):
        if isinstance(exc, DjangoValidationError):
            exc = api_validation_error(exc)
        return super().handle_exception(exc)


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("The resource changed since you read it.")
    default_code = "precondition_failed"


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _("This Idempotency-Key was used with a different request.")
    default_code = "idempotency_key_reused"


class KeyRelatedField(serializers.SlugRelatedField):
    """DRF's SlugRelatedField, but a key with a NUL character "does not exist" rather than reaching the
    query: PostgreSQL refuses NUL in a text parameter, which would be a 500 (and SQLite finds nothing)."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", ""))
        return super().to_internal_value(data)


def representation_etag(data: object) -> str:
    """A strong ETag: the SHA-256 of the representation's canonical JSON (sorted keys, no spaces), so it
    changes exactly when what `GET` answers changes, including the related data it embeds."""
    canonical = json.dumps(data, cls=JSONEncoder, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return f'"{hashlib.sha256(canonical.encode()).hexdigest()}"'


class ConditionalRequestsMixin:
    """Idempotent POSTs and optimistic concurrency, for every viewset with `output()` and `get_object()`.

    `Idempotency-Key: <1-255 characters>` on a POST: the first request runs and its answer (2xx or 4xx) is
    kept for 24 hours for the caller's account; the same path and body sent again with the key gets that
    status and body back, with `Idempotent-Replayed: true`, without running again; another path or body
    gets 422. A 5xx, 409 or 429 is not kept and everything the request wrote is rolled back, so it may be retried
    with the same key. See `enablement.api.idempotency` for how concurrent requests with one key queue.

    `ETag` on `retrieve`: `representation_etag` of the body. `If-Match` on a write to a detail route
    (PUT, PATCH, DELETE, or a POST command such as `{id}/decide/`) is compared with the object's current
    ETag, under a row lock held until the write commits: a mismatch is a 412 and nothing runs. Without the
    headers a request runs exactly as before; with them it runs in one transaction.
    """

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)  # authentication, permissions and throttles first
        key = self._idempotency_key(request)
        if_match = (
            request.headers.get("If-Match") if self.detail and request.method not in permissions.SAFE_METHODS else None
        )
        handler = getattr(self, request.method.lower(), None)
        if (key is None and if_match is None) or handler is None:
            return
        # DRF looks the handler up by method name once `initial` returns: this runs it inside the guard.
        setattr(self, request.method.lower(), partial(self._guarded, handler, key=key, if_match=if_match))

    def finalize_response(self, request: Request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.action == "retrieve" and response.status_code == status.HTTP_200_OK and isinstance(response, Response):
            response["ETag"] = representation_etag(response.data)
        return response

    def _idempotency_key(self, request: Request) -> str | None:
        key = request.headers.get("Idempotency-Key")
        if key is None or request.method != "POST":
            return None
        if not 0 < len(key) <= MAX_KEY_LENGTH:
            raise exceptions.ParseError(
                _("Send an Idempotency-Key of 1 to %(max)d characters.") % {"max": MAX_KEY_LENGTH}
            )
        return key

    def _guarded(self, handler: Callable, request: Request, *args, key: str | None, if_match: str | None, **kwargs):
        with transaction.atomic():
            record = None
            if key is not None:
                fingerprint = request_fingerprint(request.body)
                record, claimed = idempotency_claim(
                    principal=request.user, key=key, path=request.path, fingerprint=fingerprint
                )
                if not claimed:
                    return self._replay(record, request.path, fingerprint)
            try:
                if if_match is not None:
                    self._check_if_match(if_match)
                response = handler(request, *args, **kwargs)
            except HANDLED_ERRORS as error:
                response = self.handle_exception(error)
            if (
                response.status_code in RETRYABLE_STATUSES
                or response.status_code >= status.HTTP_500_INTERNAL_SERVER_ERROR
            ):
                transaction.set_rollback(True)  # nothing written, the key not taken: the client may retry
            elif record is not None:
                idempotency_record_response(record=record, status=response.status_code, data=response.data)
        return response

    def _replay(self, record, path: str, fingerprint: str) -> Response:
        if (record.path, record.request_fingerprint) != (path, fingerprint):
            raise IdempotencyKeyReused()
        data = idempotency_response_data(record)
        if record.response_status >= status.HTTP_400_BAD_REQUEST and not is_error_body(data):
            data = legacy_error_body(record.response_status, data)  # kept before errors had one shape
        return Response(data, status=record.response_status, headers={"Idempotent-Replayed": "true"})

    def _check_if_match(self, if_match: str) -> None:
        current: models.Model = self.get_object()  # 404 and object permissions as for the write itself
        # Lock the row, then read the representation again: a concurrent writer holding the same ETag
        # waits here and then sees the new one (on SQLite the transaction already holds the write lock).
        list(type(current)._default_manager.select_for_update().filter(pk=current.pk).values_list("pk"))
        tags = parse_etags(if_match)
        if "*" not in tags and representation_etag(self.output(self.get_object())) not in tags:
            raise PreconditionFailed()


class BodyFirstMixin:
    """Parses the body of every write as soon as the caller is let in, before any lookup, so a body the
    parsers refuse (`enablement.api.parsers`: malformed, nested too deep, a NUL, an unpaired surrogate or an
    out-of-range number anywhere in it) is a 400 whatever the route, and whether or not the view reads it.

    The raw body is read before authentication: the parsers then always see it (a session's CSRF check would
    otherwise consume a multipart body, which DRF then takes from Django unparsed), and an Idempotency-Key
    can still fingerprint it."""

    def initial(self, request: Request, *args, **kwargs) -> None:
        writes = request.method not in permissions.SAFE_METHODS
        if writes:
            request.body  # noqa: B018 (kept by Django for whoever reads it next)
        super().initial(request, *args, **kwargs)
        if writes:
            request.data  # noqa: B018 (parsed once, here; DRF keeps it)


class ServiceViewSet(BodyFirstMixin, ConditionalRequestsMixin, ServiceErrorsMixin, viewsets.GenericViewSet):
    """Reads answer with `output_serializer_class`. A command reads its body with the input serializer
    `input_serializer_classes` names for its action (so a generated schema shows what it accepts), calls
    a service and answers with the output serializer. Subclasses declare `required_scopes`."""

    permission_classes = [permissions.IsAuthenticated, ScopedPermission]
    # Ids in paths are ASCII digits: anything else is not a route (404), never a lookup.
    lookup_value_regex = "[0-9]+"
    output_serializer_class: type[BaseSerializer]
    input_serializer_classes: Mapping[str, type[BaseSerializer]] = {}

    def get_serializer_class(self) -> type[BaseSerializer]:
        return self.input_serializer_classes.get(self.action, self.output_serializer_class)

    def output(self, instance) -> ReturnDict:
        return self.output_serializer_class(instance, context=self.get_serializer_context()).data
