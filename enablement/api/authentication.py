"""Bearer-token authentication for API clients. Its own module, apart from `enablement.api.base`: DRF imports
authentication classes while `rest_framework.views` is still loading, so this must not import views."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from enablement.api.clients.services import api_client_verify
from enablement.models import ApiClient


class TokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer ema_<prefix>_<secret>`, an API client's token.

    A request without a bearer token is left to the next authentication class (the browser session). A
    bearer token that is malformed, unknown, wrong, revoked, or whose creator is no longer an HR admin is
    refused with a 401 saying so and `WWW-Authenticate: Bearer`, never quietly treated as anonymous; when
    its prefix names a client, the Django request carries that client as `refused_api_client`, so
    `ApiRequestLogMiddleware` records the attempt against it. A good one makes `request.user` the account
    the client acts as and `request.auth` the client, whose `scopes` (a frozenset) `ScopedPermission` checks.
    """

    keyword = "bearer"

    def authenticate(self, request: Request) -> tuple[object, ApiClient] | None:
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Send one token after Bearer, with no spaces in it."))
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from error
        check = api_client_verify(token)
        if not check.accepted:
            if check.client is not None:
                request._request.refused_api_client = check.client
            raise exceptions.AuthenticationFailed(check.refusal)
        return check.client.user, check.client

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'
