"""Single sign-on: who signs in through the identity provider, and whether passwords still work."""

from django.core.exceptions import ImproperlyConfigured

from enablement.env import env_bool, env_int, env_list, env_str
from enablement.settings.base import IS_PRODUCTION

# Single sign-on with OpenID Connect (enablement/accounts/sso/; README, "Single sign-on"). Off unless
# OIDC_ISSUER names the provider; its endpoints and keys come from the issuer's discovery document.
OIDC_ISSUER = env_str("OIDC_ISSUER", "")
SSO_ENABLED = bool(OIDC_ISSUER)
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME", "single sign-on")
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID") if SSO_ENABLED else ""
OIDC_RP_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET") if SSO_ENABLED else ""
OIDC_RP_SCOPES = env_str("OIDC_SCOPES", "openid email profile")
OIDC_RP_SIGN_ALGO = env_str("OIDC_SIGN_ALGORITHM", "RS256")
# The claim compared with a login's username; then, if allowed, a verified `email` with a person's work email.
OIDC_USERNAME_CLAIM = env_str("OIDC_USERNAME_CLAIM", "preferred_username")
OIDC_MATCH_VERIFIED_EMAIL = env_bool("OIDC_MATCH_VERIFIED_EMAIL", True)
# Just-in-time creation of a person and login for someone HR and SCIM never provisioned: off by default,
# and then only for verified emails in these domains.
OIDC_CREATE_USER = env_bool("OIDC_CREATE_USER", False)
OIDC_CREATE_USER_DOMAINS = [domain.lower() for domain in env_list("OIDC_CREATE_USER_DOMAINS", [])]
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", 10, minimum=1)
OIDC_LOGOUT_AT_PROVIDER = env_bool("OIDC_LOGOUT_AT_PROVIDER", True)
# Password sign-in; off, only superusers (the break-glass accounts) may sign in with a password.
PASSWORD_SIGN_IN = env_bool("PASSWORD_SIGN_IN", True)
# What mozilla-django-oidc reads: code flow with PKCE (S256), state and nonce, the ID token kept for sign-out.
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True
OIDC_AUTHENTICATION_CALLBACK_URL = "sso:callback"
if SSO_ENABLED:
    if IS_PRODUCTION and not OIDC_ISSUER.startswith("https://"):
        raise ImproperlyConfigured("OIDC_ISSUER must be an https:// address in production.")
    if "openid" not in OIDC_RP_SCOPES.split():
        raise ImproperlyConfigured("OIDC_SCOPES must include openid.")
    if OIDC_RP_SIGN_ALGO not in {"RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256"}:
        raise ImproperlyConfigured("OIDC_SIGN_ALGORITHM must be an asymmetric JWS algorithm such as RS256.")
if OIDC_CREATE_USER and not OIDC_CREATE_USER_DOMAINS:
    raise ImproperlyConfigured("OIDC_CREATE_USER needs OIDC_CREATE_USER_DOMAINS (the email domains it may create).")
if not PASSWORD_SIGN_IN and not SSO_ENABLED:
    raise ImproperlyConfigured("PASSWORD_SIGN_IN=false needs OIDC_ISSUER: otherwise only superusers could sign in.")
