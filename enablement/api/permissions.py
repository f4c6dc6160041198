"""The token-scope check every API view runs (the project's default permission). Kept apart from
`enablement.api.base`, which imports DRF's views: DRF loads its default permission classes while its views
module is still importing."""

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from rest_framework import permissions
from rest_framework.request import Request

from enablement.accounts import policy

if TYPE_CHECKING:
    from rest_framework.views import APIView


class ScopedPermission(permissions.BasePermission):
    """Checks the credential's scopes against the viewset's `required_scopes = {"read": …, "write": …}`.

    Safe methods need the read scope, every other method the write scope. A signed-in session
    (`request.auth` is None) passes: what a person may do is decided by the scoped queryset and the
    policy. A credential that carries no `scopes` is refused, so a new authentication class cannot
    skip the check by accident. A viewset that declares no scopes is a configuration error.
    """

    message = _("This token does not have the scope this request needs.")

    def has_permission(self, request: Request, view: "APIView") -> bool:
        required: Mapping[str, str] | None = getattr(view, "required_scopes", None)
        if required is None:
            # A view that names no scope (the API root, say) is for signed-in people only, never tokens.
            return request.auth is None and not policy.is_api_client(request.user)
        if not {"read", "write"} <= set(required):
            raise ImproperlyConfigured(f"{type(view).__name__} must declare required_scopes for read and write.")
        if request.auth is None:
            # A session: what a person may do is decided by the policy. An API client's account never
            # signs in, but if it ever held a session it would not escape its scopes this way.
            return not policy.is_api_client(request.user)
        scopes = getattr(request.auth, "scopes", None)
        if scopes is None:
            return False
        return required["read" if request.method in permissions.SAFE_METHODS else "write"] in scopes
