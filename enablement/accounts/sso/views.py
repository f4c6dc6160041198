"""Start a sign-in at the provider, take its answer back, and sign out there too."""

import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import auth
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.views.decorators.http import require_POST
from django.views.generic import View
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from enablement.accounts.sign_in import SignInRefusal
from enablement.accounts.sso.backend import SESSION_ID_TOKEN
from enablement.accounts.sso.provider import ProviderUnavailable, provider

logger = logging.getLogger(__name__)

REFUSAL_STATUS = {
    SignInRefusal.UNAVAILABLE: 503,
    SignInRefusal.EXPIRED: 400,
    SignInRefusal.PROVIDER_ERROR: 400,
    SignInRefusal.INVALID_RESPONSE: 400,
}


def refusal_page(request: HttpRequest, reason: SignInRefusal) -> HttpResponse:
    """Says why, and what to do: never a stack trace, never a redirect that would start the loop again."""
    context = {"reason": reason.value, "title": reason.label, "provider_name": settings.OIDC_PROVIDER_NAME}
    return render(request, "registration/sso_refused.html", context, status=REFUSAL_STATUS.get(reason, 403))


def _sso_enabled_or_404() -> None:
    if not settings.SSO_ENABLED:
        raise Http404


class StartView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider: code flow, PKCE (S256), a fresh state and nonce kept in the session."""

    def __init__(self, **kwargs):
        # The parent reads a fixed authorization endpoint from settings; it comes from discovery instead.
        View.__init__(self, **kwargs)

    def get(self, request):
        _sso_enabled_or_404()
        try:
            self.OIDC_OP_AUTH_ENDPOINT = provider().authorization_endpoint
        except ProviderUnavailable:
            return refusal_page(request, SignInRefusal.UNAVAILABLE)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer: signs the person in (enablement.accounts.sso.backend) or says why not."""

    def get(self, request):
        _sso_enabled_or_404()
        if request.GET.get("error"):
            logger.warning(
                "SSO provider answered %s: %s",
                request.GET["error"][:100],
                request.GET.get("error_description", "")[:300],
            )
            request.sso_refusal = SignInRefusal.PROVIDER_ERROR
        try:
            return super().get(request)
        except SuspiciousOperation:
            # A state this browser never started, or one already used: a replayed or stale answer.
            request.sso_refusal = SignInRefusal.EXPIRED
            return self.login_failure()

    def login_failure(self):
        # Whoever was signed in in this browser is not any more: the person at it just failed to sign in.
        auth.logout(self.request)
        return refusal_page(self.request, getattr(self.request, "sso_refusal", SignInRefusal.EXPIRED))


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """Signs out here, then, for a single sign-on, at the provider too when it offers RP-initiated logout
    (an `end_session_endpoint`), which sends the browser back to the sign-in page."""
    id_token = request.session.get(SESSION_ID_TOKEN)
    auth.logout(request)
    target = resolve_url(settings.LOGOUT_REDIRECT_URL)
    if not (id_token and settings.SSO_ENABLED and settings.OIDC_LOGOUT_AT_PROVIDER):
        return HttpResponseRedirect(target)
    try:
        end_session = provider().end_session_endpoint
    except ProviderUnavailable:
        end_session = None  # signed out here at least; the provider's session ends on its own
    if not end_session:
        return HttpResponseRedirect(target)
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": request.build_absolute_uri(target),
            "client_id": settings.OIDC_RP_CLIENT_ID,
        }
    )
    return HttpResponseRedirect(f"{end_session}{'&' if '?' in end_session else '?'}{query}")
