"""How /api/v1/ describes itself in OpenAPI (drf-spectacular), once for every app's viewsets.

Each operation names the token scope it needs, taken from its viewset's `required_scopes` (read for safe
methods, write otherwise: the rule `enablement.api.base.ScopedPermission` enforces), in its security requirement
and its description; is tagged with the part of the platform that scope guards; and lists the error
responses every endpoint can give, all in the one `Error` shape of `enablement.api.errors`. A
`ServiceViewSet`'s operations also document its conditional requests (`enablement.api.base.ConditionalRequestsMixin`):
`Idempotency-Key` and 422 on POST, `If-Match` and 412 on writes to a detail route, and the `ETag` a retrieve
answers with.
"""

from collections.abc import Mapping

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import OpenApiParameter
from rest_framework.permissions import SAFE_METHODS
from rest_framework.views import APIView

API_PREFIX = "/api/v1/"


def required_scope(view: APIView, method: str) -> str | None:
    """The token scope `method` on `view` needs, or None for a view that declares no scopes."""
    scopes: Mapping[str, str] | None = getattr(view, "required_scopes", None)
    if not scopes:
        return None
    return scopes["read" if method.upper() in SAFE_METHODS else "write"]


def api_v1_only(endpoints: list, **kwargs) -> list:
    """Preprocessing hook: the schema describes /api/v1/ and nothing else the URL conf routes to DRF."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(API_PREFIX)]


def nullable_as_type_null(result: dict, **kwargs) -> dict:
    """Postprocessing hook: OpenAPI 3.0's `nullable: true` as 3.1's `type: [..., "null"]`, wherever DRF put it
    (its paginators' `next` and `previous`; drf-spectacular issue #1360), so a null there conforms."""

    def convert(node: object) -> None:
        if isinstance(node, dict):
            if node.get("nullable") is True and isinstance(node.get("type"), str):
                del node["nullable"]
                node["type"] = [node["type"], "null"]
            for value in node.values():
                convert(value)
        elif isinstance(node, list):
            for value in node:
                convert(value)

    convert(result)
    return result


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """API tokens, as `Authorization: Bearer <token>`; the requirement lists the scope the operation needs."""

    target_class = "enablement.api.authentication.TokenAuthentication"
    match_subclasses = True
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(
                _(
                    "An API token, shown once when it is created. Each operation lists the scope the token "
                    "needs; a token without it gets 403, a missing, unknown or revoked token 401."
                )
            ),
        }

    def get_security_requirement(self, auto_schema: AutoSchema) -> dict:
        scope = required_scope(auto_schema.view, auto_schema.method)
        return {self.name: [scope] if scope else []}


class SessionCookieScheme(OpenApiAuthenticationExtension):
    """A signed-in browser session; drf-spectacular's own scheme for it, with what it means here."""

    target_class = "rest_framework.authentication.SessionAuthentication"
    match_subclasses = True
    name = "cookieAuth"

    def get_security_definition(self, auto_schema: AutoSchema) -> dict:
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": str(
                _(
                    "A signed-in browser session (writes also need the CSRF token in `X-CSRFToken`). "
                    "Scopes do not apply to it: a person sees and changes what their place in the org allows."
                )
            ),
        }


# The one error shape every /api/ error has (enablement.api.errors). One place, so every operation refers to
# the same `Error` schema through one response component per status.
ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "Every error the API answers. `errors` comes only with a 400 for invalid input: messages per field of "
        "the body or query parameter, `non_field_errors` for the body as a whole. A nested field's messages "
        "nest the same way: an object for a nested object, a list of such objects (or an object keyed by the "
        "row's index) for a list of rows."
    ),
    "properties": {
        "status": {"type": "integer", "description": "The HTTP status, repeated.", "examples": [404]},
        "code": {
            "type": "string",
            "description": (
                "What went wrong, for programs: invalid, parse_error, not_authenticated, authentication_failed, "
                "permission_denied, not_found, method_not_allowed, unsupported_media_type, precondition_failed, "
                "request_too_large, idempotency_key_reused, throttled, error."
            ),
            "examples": ["not_found"],
        },
        "detail": {"type": "string", "description": "What went wrong, for people: one sentence."},
        "errors": {
            "type": "object",
            "properties": {"non_field_errors": {"type": "array", "items": {"type": "string"}}},
            "additionalProperties": {
                "anyOf": [
                    {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "object"}]}},
                    {"type": "object"},
                ]
            },
        },
    },
    "required": ["status", "code", "detail"],
}


def _json_examples(**examples: object) -> dict:
    return {name: {"value": value} for name, value in examples.items()}


def _error(status: int, code: str, detail: str, **errors: list) -> dict:
    body = {"status": status, "code": code, "detail": detail}
    return {**body, "errors": errors} if errors else body


RETRY_AFTER_HEADER = {
    "Retry-After": {
        "schema": {"type": "integer"},
        "description": str(_("Seconds to wait before the next request this client sends.")),
    }
}

ERROR_RESPONSES = {
    "400": (
        "BadRequest",
        _("The body or a query parameter is not valid, or the change breaks a rule; nothing was written."),
        _json_examples(
            FieldErrors=_error(
                400,
                "invalid",
                "The request is not valid: see errors for what to change.",
                title=["This field is required."],
                due_on=["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."],
            ),
            NonFieldErrors=_error(
                400, "invalid", "Only a draft can be changed.", non_field_errors=["Only a draft can be changed."]
            ),
            ParseError=_error(400, "parse_error", "JSON parse error - Expecting value: line 1 column 1 (char 0)"),
        ),
    ),
    "401": (
        "Unauthenticated",
        _("No credentials, or a token that is unknown, revoked, or whose creator is no longer an HR admin."),
        _json_examples(
            Unauthenticated=_error(401, "not_authenticated", "Authentication credentials were not provided."),
            Refused=_error(401, "authentication_failed", "The token is not valid, or has been revoked."),
        ),
    ),
    "403": (
        "Forbidden",
        _("The token lacks the scope this operation needs, or the caller may see the object but not do this to it."),
        _json_examples(
            Forbidden=_error(403, "permission_denied", "This token does not have the scope this request needs.")
        ),
    ),
    "404": (
        "NotFound",
        _("No such object, or one the caller may not see (the two are not told apart), or a page past the last."),
        _json_examples(NotFound=_error(404, "not_found", "No Application matches the given query.")),
    ),
    "412": (
        "PreconditionFailed",
        _("`If-Match` does not match the object's current `ETag`: it changed since the caller read it; nothing ran."),
        _json_examples(
            PreconditionFailed=_error(412, "precondition_failed", "The resource changed since you read it.")
        ),
    ),
    "413": (
        "RequestTooLarge",
        _("The body is larger than the API accepts (2 MB unless configured otherwise); nothing was read."),
        _json_examples(
            RequestTooLarge=_error(413, "request_too_large", "The request body is larger than this API accepts.")
        ),
    ),
    "415": (
        "UnsupportedMediaType",
        _("The body is in a media type this operation does not read; send `application/json`."),
        _json_examples(
            UnsupportedMediaType=_error(
                415, "unsupported_media_type", 'Unsupported media type "text/plain" in request.'
            )
        ),
    ),
    "422": (
        "IdempotencyKeyReused",
        _("This `Idempotency-Key` was used by the caller with another path or body in the last 24 hours."),
        _json_examples(
            IdempotencyKeyReused=_error(
                422, "idempotency_key_reused", "This Idempotency-Key was used with a different request."
            )
        ),
    ),
    "429": (
        "Throttled",
        _("Too many requests from this caller; retry after the `Retry-After` seconds."),
        _json_examples(Throttled=_error(429, "throttled", "Request was throttled. Expected available in 30 seconds.")),
    ),
}


IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    description=_(
        "Optional, 1-255 characters, unique per request you mean: the same request sent again with it within "
        "24 hours gets the first answer back (with `Idempotent-Replayed: true`) instead of running twice; "
        "another body or path with it is a 422."
    ),
)
IF_MATCH_PARAMETER = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    description=_(
        "Optional: the `ETag` from `GET` of this object. If the object changed since, the answer is 412 and "
        "nothing changes."
    ),
)
ETAG_HEADER = {
    "ETag": {
        "schema": {"type": "string"},
        "description": str(_("A strong ETag of this representation; send it back as `If-Match` when you change it.")),
    }
}


def _conditional(view: APIView) -> bool:
    from enablement.api.base import ConditionalRequestsMixin  # enablement.api.base imports DRF's views

    return isinstance(view, ConditionalRequestsMixin)


# How a collection reads in a summary (plural, one member), where the path's words and dropping an "s" do not do it.
NAMES = {
    "people": ("people", "person"),
    "competencies": ("competencies", "competency"),
    "pulse-series": ("pulse series", "pulse series"),
    "pulse-rollups": ("pulse roll-ups", "pulse roll-up"),
    "sessions": ("1:1 sessions", "1:1 session"),
    "acknowledgements": ("acknowledgement requests", "acknowledgement request"),
    "manager-impact": ("manager impact", "manager's impact"),
}
# The words a standard action's summary starts with (`{resource}` is the singular with its article).
ACTION_SUMMARIES = {
    "list": "List {plural}",
    "retrieve": "Read {resource}",
    "create": "Create {resource}",
    "update": "Replace {resource}",
    "partial_update": "Change {resource}",
    "destroy": "Delete {resource}",
}


def _with_article(noun: str) -> str:
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def default_summary(path: str, action: str | None, method: str) -> str:
    """A short summary from the operation's path and action, for operations that set none themselves
    (`@extend_schema(summary=…)` wins): "List charter versions", "Read a charter version", "Publish a
    charter version", "Read a role's requirements"."""
    segments = [segment for segment in path.removeprefix(API_PREFIX).split("/") if segment]
    collection = segments[0]
    words = collection.replace("-", " ")
    plural, singular = NAMES.get(collection, (words, words[:-1] if words.endswith("s") else words))
    resource = _with_article(singular)
    if action in ACTION_SUMMARIES:
        return ACTION_SUMMARIES[action].format(plural=plural, resource=resource)
    extra = segments[-1].replace("-", " ").replace("_", " ")
    if segments[-1] == "bulk":
        return f"Create and update {plural} in bulk"
    if method.upper() in SAFE_METHODS:
        return f"Read {resource}'s {extra}"
    if method.upper() in ("PUT", "PATCH"):
        return f"Replace {resource}'s {extra}"
    return f"{extra.capitalize()} {resource}"


class ScopedAutoSchema(AutoSchema):
    """The project's AutoSchema (`REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]`): scope, tag and errors per operation,
    a summary for every operation, and a `ServiceViewSet` command's response in its output shape."""

    def get_summary(self) -> str | None:
        return super().get_summary() or default_summary(self.path, getattr(self.view, "action", None), self.method)

    def get_operation(self, path: str, path_regex: str, path_prefix: str, method: str, registry) -> dict | None:
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        # Added here rather than in get_description and _get_response_bodies, so that an operation's own
        # @extend_schema(description=…, responses=…) keeps them.
        scope = required_scope(self.view, self.method)
        if scope is not None:
            line = _("Token scope: `%(scope)s`") % {"scope": scope}
            operation["description"] = "\n\n".join(filter(None, [operation.get("description"), str(line)]))
        for code in self._error_codes(operation):
            operation["responses"].setdefault(code, self._error_response(code))
        if _conditional(self.view) and self.view.action == "retrieve" and "200" in operation["responses"]:
            operation["responses"]["200"].setdefault("headers", {}).update(ETAG_HEADER)
        return operation

    def get_override_parameters(self) -> list:
        parameters = list(super().get_override_parameters())
        if _conditional(self.view):
            if self.method == "POST":
                parameters.append(IDEMPOTENCY_KEY_PARAMETER)
            if self.view.detail and self.method not in SAFE_METHODS:
                parameters.append(IF_MATCH_PARAMETER)
        return parameters

    def get_tags(self) -> list[str]:
        # Grouped by what the scope guards (charters, competencies, hiring, coaching, …), the way whoever
        # grants an HR system its access thinks of the API.
        # The scope this operation needs: an action may ask for another than its viewset's (readings in bulk).
        scope = required_scope(self.view, self.method)
        if scope:
            return [scope.split(":")[0]]
        return super().get_tags()

    def get_response_serializers(self):
        # A ServiceViewSet reads a command's body with its input serializer and answers with its output one.
        output = getattr(self.view, "output_serializer_class", None)
        return output if output is not None else super().get_response_serializers()

    def _error_codes(self, operation: dict) -> list[str]:
        codes = ["401", "403", "404"]
        # Any query parameter (a filter, the paginator's page and cursor) can be refused as a 400.
        if self.method not in SAFE_METHODS or any(p.get("in") == "query" for p in operation.get("parameters", [])):
            codes.insert(0, "400")
        if _conditional(self.view) and self.view.detail and self.method not in SAFE_METHODS:
            codes.append("412")
        if self.method not in SAFE_METHODS:
            codes += ["413", "415"]  # a body too large, or not in a media type the operation reads
        if _conditional(self.view) and self.method == "POST":
            codes.append("422")
        if self.view.get_throttles():
            codes.append("429")
        return codes

    def _error_response(self, code: str) -> dict:
        name, description, examples = ERROR_RESPONSES[code]
        error = self._register(ResolvedComponent.SCHEMA, "Error", ERROR_SCHEMA)
        response = {
            "description": str(description),
            "content": {"application/json": {"schema": error, "examples": examples}},
        }
        if code == "429":
            response["headers"] = RETRY_AFTER_HEADER
        return self._register(ResolvedComponent.RESPONSE, name, response)

    def _register(self, kind: str, name: str, schema: dict) -> dict:
        component = ResolvedComponent(name=name, type=kind, object=f"enablement.api.openapi.{name}", schema=schema)
        self.registry.register_on_missing(component)
        return component.ref
