"""The authentication backend behind /oidc/callback/: mozilla-django-oidc's code flow, with the provider
taken from discovery, every ID token check made explicitly (tokens.py), the login found by accounts.py
and the sign-in rules of enablement.accounts.sign_in applied.

A refused sign-in raises SignInRefused (a PermissionDenied): Django's authenticate() then stops and sends
`user_login_failed`, which django-axes counts against the account the provider named (`request.sso_username`)
from this address, or against the address alone when the answer named nobody. The reason is left on the
request (`request.sso_refusal`) for the callback's page.
"""

import logging
from urllib.parse import quote_plus

import requests
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import get_user_model
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from requests.auth import HTTPBasicAuth

from enablement.accounts.sign_in import SignInRefusal, sso_refusal
from enablement.accounts.sso.accounts import SignInRefused, identity_of, login_for_claims
from enablement.accounts.sso.provider import Provider, ProviderUnavailable, provider
from enablement.accounts.sso.tokens import InvalidToken, signing_key, verify_id_token, verify_signed_userinfo

logger = logging.getLogger(__name__)

SESSION_ID_TOKEN = "oidc_id_token"  # noqa: S105 (a session key, named as mozilla-django-oidc names it)


def _refuse(request, reason: SignInRefusal, identity: str = "") -> SignInRefused:
    request.sso_refusal = reason
    logger.warning("SSO sign-in refused (%s) for %r from %s", reason.value, identity, request.META.get("REMOTE_ADDR"))
    return SignInRefused(reason, identity)


class OidcBackend(OIDCAuthenticationBackend):
    provider: Provider

    def __init__(self, *args, **kwargs):
        # mozilla-django-oidc reads fixed endpoints from settings here; they come from discovery instead, and
        # only when a sign-in needs them (Django builds every backend for every password sign-in too).
        self.UserModel = get_user_model()

    def authenticate(self, request, *, nonce, code_verifier):
        """Keyword-only arguments that only the SSO callback passes: password sign-ins never reach here."""
        if request is None or not settings.SSO_ENABLED:
            return None
        try:
            self.provider = provider()
        except ProviderUnavailable:
            raise _refuse(request, SignInRefusal.UNAVAILABLE) from None
        self.OIDC_OP_TOKEN_ENDPOINT = self.provider.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = self.provider.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = self.provider.jwks_uri
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        try:
            return super().authenticate(request, nonce=nonce, code_verifier=code_verifier)
        except SignInRefused as refused:
            raise _refuse(request, refused.reason, refused.identity) from None
        except (InvalidToken, requests.RequestException, ValueError) as error:
            logger.warning("SSO answer from %s not accepted: %s", self.provider.issuer, error)
            raise _refuse(request, SignInRefusal.INVALID_RESPONSE, getattr(request, "sso_username", "")) from None

    def get_token(self, payload: dict) -> dict:
        """The token response, the client authenticating as the provider says it takes (Basic by default,
        id and secret form-encoded first as RFC 6749 §2.3.1 asks; else in the body)."""
        auth = None
        if self.provider.takes_basic_auth:
            auth = HTTPBasicAuth(quote_plus(payload["client_id"]), quote_plus(payload.pop("client_secret")))
        response = requests.post(
            self.OIDC_OP_TOKEN_ENDPOINT, data=payload, auth=auth, timeout=settings.OIDC_TIMEOUT, allow_redirects=False
        )
        self.raise_token_response_error(response)
        answer = response.json()
        if not isinstance(answer, dict) or not isinstance(answer.get("id_token"), str):
            raise InvalidToken("The token response carries no ID token.")
        return answer

    def verify_token(self, token: str, **kwargs) -> dict:
        """The ID token's claims (called with the sign-in's `nonce`), or a signed userinfo answer's."""
        key = signing_key(token, jwks_uri=self.provider.jwks_uri)
        if "nonce" in kwargs:
            return verify_id_token(token, key=key, issuer=self.provider.issuer, nonce=kwargs["nonce"])
        return verify_signed_userinfo(token, key=key, issuer=self.provider.issuer)

    def store_tokens(self, access_token, id_token):
        # Kept in the session only once the sign-in is accepted (get_or_create_user).
        self.id_token = id_token

    def get_userinfo(self, access_token, id_token, payload) -> dict:
        """The userinfo claims, which must be about the ID token's subject (Core §5.3.2); none when the
        provider has no userinfo endpoint."""
        if not self.provider.userinfo_endpoint or not access_token:
            return {}
        claims = super().get_userinfo(access_token, id_token, payload)
        if not isinstance(claims, dict) or claims.get("sub") != payload["sub"]:
            raise InvalidToken("The userinfo answer is about another subject than the ID token.")
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        """The login the claims name, if it may sign in. The ID token's claims win over userinfo's (they
        are signed for this client). Raises SignInRefused."""
        claims = {**self.get_userinfo(access_token, id_token, payload), **payload}
        self.request.sso_username = identity_of(claims)[:255] or None
        user = login_for_claims(claims)
        self.request.sso_username = user.get_username()
        if not AxesProxyHandler.is_allowed(self.request, {"username": user.get_username()}):
            self.request.axes_locked_out = True  # django-axes' middleware answers with its lockout page
            raise SignInRefused(SignInRefusal.LOCKED_OUT, user.get_username())
        refusal = sso_refusal(user)
        if refusal is not None:
            raise SignInRefused(refusal, user.get_username())
        self.request.session[SESSION_ID_TOKEN] = self.id_token
        return user

    def get_user(self, user_id):
        """The signed-in user on each request, while the sign-in rules still let them in: a login SCIM
        switches off, or a person HR or SCIM terminates, is signed out at their next request."""
        user = self.UserModel._default_manager.select_related("person", "api_client").filter(pk=user_id).first()
        if user is None or sso_refusal(user) is not None:
            return None
        return user
