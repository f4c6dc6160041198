"""Single sign-on with OpenID Connect, on mozilla-django-oidc.

provider.py   the issuer's discovery document: endpoints and keys, fetched when first needed and cached
tokens.py     the ID token checks: signature (the issuer's JWKS), issuer, audience, expiry, nonce
accounts.py   which login the provider's claims name, and the logins it may create
backend.py    the authentication backend the callback runs
views.py      start, callback (with the page that says why a sign-in was refused), sign-out at the provider
"""
