"""The OpenID provider as its discovery document describes it (OpenID Connect Discovery 1.0).

Fetched from `<issuer>/.well-known/openid-configuration` the first time a sign-in needs it, then kept in
the cache for an hour, so a provider that moves an endpoint or adds a key is followed without a restart,
and a provider that is down when the platform starts does not stop it.
"""

import logging
from dataclasses import asdict, dataclass

import requests
from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

DISCOVERY_PATH = "/.well-known/openid-configuration"
CACHE_SECONDS = 60 * 60


class ProviderUnavailable(Exception):
    """The discovery document could not be fetched, or does not describe the configured issuer."""


@dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str | None = None
    end_session_endpoint: str | None = None
    # Per the spec, a provider that states no method takes HTTP Basic.
    token_endpoint_auth_methods: tuple[str, ...] = ("client_secret_basic",)

    @property
    def takes_basic_auth(self) -> bool:
        return "client_secret_basic" in self.token_endpoint_auth_methods


def _cache_key(issuer: str) -> str:
    return f"sso:discovery:{issuer}"


def provider() -> Provider:
    """The configured provider. Raises ProviderUnavailable (never cached) when discovery fails."""
    issuer = settings.OIDC_ISSUER
    cached = cache.get(_cache_key(issuer))
    if cached is not None:
        return Provider(**{**cached, "token_endpoint_auth_methods": tuple(cached["token_endpoint_auth_methods"])})
    found = discover(issuer)
    cache.set(_cache_key(issuer), asdict(found), CACHE_SECONDS)
    return found


def forget() -> None:
    """Drops the cached document (tests; or after the provider changed)."""
    cache.delete(_cache_key(settings.OIDC_ISSUER))


def discover(issuer: str) -> Provider:
    url = issuer.rstrip("/") + DISCOVERY_PATH
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT, allow_redirects=False)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        logger.warning("SSO discovery at %s failed: %s", url, error)
        raise ProviderUnavailable(f"Discovery at {url} failed: {error}") from error
    if not isinstance(document, dict):
        raise ProviderUnavailable(f"Discovery at {url} did not answer a JSON object.")
    # The document must name the very issuer asked for (Discovery §4.3): ID tokens are checked against it.
    if document.get("issuer") != issuer:
        raise ProviderUnavailable(
            f"Discovery at {url} names the issuer {document.get('issuer')!r}, not {issuer!r} (OIDC_ISSUER)."
        )
    missing = [name for name in ("authorization_endpoint", "token_endpoint", "jwks_uri") if not document.get(name)]
    if missing:
        raise ProviderUnavailable(f"Discovery at {url} lacks {', '.join(missing)}.")
    return Provider(
        issuer=issuer,
        authorization_endpoint=document["authorization_endpoint"],
        token_endpoint=document["token_endpoint"],
        jwks_uri=document["jwks_uri"],
        userinfo_endpoint=document.get("userinfo_endpoint") or None,
        end_session_endpoint=document.get("end_session_endpoint") or None,
        token_endpoint_auth_methods=tuple(
            document.get("token_endpoint_auth_methods_supported") or ("client_secret_basic",)
        ),
    )
