"""What an ID token must prove before anyone is signed in by it (OpenID Connect Core §3.1.3.7).

mozilla-django-oidc checks the signature and the nonce, but decodes with the audience check off and never
looks at the issuer, nor requires an expiry: every check is made here, explicitly.
"""

import jwt
import requests
from django.conf import settings
from django.utils.crypto import constant_time_compare

# Clocks of the provider and this server may differ by this much.
CLOCK_SKEW_SECONDS = 30


class InvalidToken(Exception):
    """The token or the provider's answer around it fails a check; the message says which."""


def signing_key(token: str, *, jwks_uri: str) -> jwt.PyJWK:
    """The key of the provider's JWKS that signed `token`: the one its header's `kid` names (or the only
    signing key, when the header names none), of the configured algorithm."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as error:
        raise InvalidToken(f"Not a JWS: {error}") from error
    algorithm = settings.OIDC_RP_SIGN_ALGO
    if header.get("alg") != algorithm:
        # Refuses "none", and HS256 signed with the public key as a secret.
        raise InvalidToken(f"Signed with {header.get('alg')!r}, not {algorithm}.")
    try:
        response = requests.get(jwks_uri, timeout=settings.OIDC_TIMEOUT, allow_redirects=False)
        response.raise_for_status()
        keys = response.json()["keys"]
    except (requests.RequestException, ValueError, KeyError, TypeError) as error:
        raise InvalidToken(f"The provider's keys ({jwks_uri}) could not be read: {error}") from error
    candidates = [
        key
        for key in keys
        if isinstance(key, dict) and key.get("use", "sig") == "sig" and key.get("alg", algorithm) == algorithm
    ]
    if "kid" in header:
        candidates = [key for key in candidates if key.get("kid") == header["kid"]]
    if len(candidates) != 1:
        raise InvalidToken(f"No single signing key of the provider matches the token (kid {header.get('kid')!r}).")
    try:
        return jwt.PyJWK(candidates[0], algorithm=algorithm)
    except jwt.PyJWTError as error:
        raise InvalidToken(f"The provider's key is unusable: {error}") from error


def verify_id_token(token: str, *, key: jwt.PyJWK, issuer: str, nonce: str | None) -> dict:
    """The claims of `token` once its signature, issuer, audience (and authorized party), expiry, issue time
    and nonce are checked. Raises InvalidToken naming the first check that failed."""
    client_id = settings.OIDC_RP_CLIENT_ID
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[settings.OIDC_RP_SIGN_ALGO],
            audience=client_id,
            issuer=issuer,
            leeway=CLOCK_SKEW_SECONDS,
            options={"require": ["iss", "sub", "aud", "exp", "iat"]},
        )
    except jwt.PyJWTError as error:
        raise InvalidToken(f"ID token refused: {error}") from error
    audiences = [claims["aud"]] if isinstance(claims["aud"], str) else claims["aud"]
    # With other audiences beside this client, the authorized party must be this client (Core §3.1.3.7, 4-5).
    if (len(audiences) > 1 or "azp" in claims) and claims.get("azp") != client_id:
        raise InvalidToken(f"ID token refused: its authorized party is {claims.get('azp')!r}, not this client.")
    # The nonce this browser's sign-in was started with, once: a token from another sign-in is a replay.
    if not nonce or not isinstance(claims.get("nonce"), str) or not constant_time_compare(claims["nonce"], nonce):
        raise InvalidToken("ID token refused: its nonce is not the one this sign-in was started with.")
    return claims


def verify_signed_userinfo(token: str, *, key: jwt.PyJWK, issuer: str) -> dict:
    """Claims of a userinfo answer the provider signed (Core §5.3.2): signature, issuer and audience."""
    try:
        return jwt.decode(
            token,
            key,
            algorithms=[settings.OIDC_RP_SIGN_ALGO],
            audience=settings.OIDC_RP_CLIENT_ID,
            issuer=issuer,
            leeway=CLOCK_SKEW_SECONDS,
            options={"require": ["sub"]},
        )
    except jwt.PyJWTError as error:
        raise InvalidToken(f"Signed userinfo refused: {error}") from error
