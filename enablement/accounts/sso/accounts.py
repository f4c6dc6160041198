"""Which login the provider's claims name, and the only logins single sign-on creates.

1. The username claim (OIDC_USERNAME_CLAIM, `preferred_username` by default) names a login, without case:
   how SCIM provisions people (its `userName` is the IdP's login name).
2. Otherwise, when the provider says the email is verified (`email_verified` true) and
   OIDC_MATCH_VERIFIED_EMAIL is on, the email names a person by their work email: how the HR sync
   provisions them. Their login, or, for a person HR synced without one, a new login linked to them.
3. Otherwise nobody: the sign-in is refused, unless OIDC_CREATE_USER creates a person and login just in
   time for a verified email in OIDC_CREATE_USER_DOMAINS.

Whether the login found may then sign in is `enablement.accounts.sign_in.sso_refusal`'s to say.
"""

import uuid

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from enablement.accounts.sign_in import SignInRefusal
from enablement.models import Person
from enablement.org.services import normalized_email, person_create, person_update

JUST_IN_TIME_PREFIX = "sso-"


class SignInRefused(PermissionDenied):
    """Django's authenticate() stops at a PermissionDenied and records a failed sign-in."""

    def __init__(self, reason: SignInRefusal, identity: str = ""):
        super().__init__(reason.value)
        self.reason = reason
        self.identity = identity


def claimed_username(claims: dict) -> str:
    value = claims.get(settings.OIDC_USERNAME_CLAIM)
    return value.strip() if isinstance(value, str) else ""


def verified_email(claims: dict) -> str:
    """The email claim when the provider vouches for it; some providers send the flag as a string."""
    email = claims.get("email")
    if not isinstance(email, str) or not email.strip() or "@" not in email:
        return ""
    return normalized_email(email) if claims.get("email_verified") in (True, "true") else ""


def identity_of(claims: dict) -> str:
    """What the provider called the person: for logs and the refusal page."""
    return claimed_username(claims) or (claims.get("email") if isinstance(claims.get("email"), str) else "") or ""


def login_for_claims(claims: dict) -> AbstractBaseUser:
    """The login the claims name (see the module). Raises SignInRefused when they name none, or several."""
    users = get_user_model().objects.select_related("person")
    username = claimed_username(claims)
    if username:
        named = list(users.filter(username__iexact=username)[:2])
        if len(named) > 1:
            raise SignInRefused(SignInRefusal.AMBIGUOUS, username)
        if named:
            return named[0]
    email = verified_email(claims) if settings.OIDC_MATCH_VERIFIED_EMAIL else ""
    if email:
        person = Person.objects.select_related("user").filter(email__iexact=email).first()
        if person is not None:
            return person.user if person.user_id else login_create_for_person(person=person, claims=claims)
    if settings.OIDC_CREATE_USER and email and email.rpartition("@")[2] in settings.OIDC_CREATE_USER_DOMAINS:
        return login_create_just_in_time(claims=claims, email=email)
    raise SignInRefused(SignInRefusal.NOT_PROVISIONED, identity_of(claims))


def _new_username(claims: dict, email: str) -> str:
    """The username claim when no login has it, else the email; never one with ":", the mark SCIM keeps for API
    clients' accounts (`api:`)."""
    for candidate in (claimed_username(claims), email):
        if (
            candidate
            and ":" not in candidate
            and len(candidate) <= 150
            and not get_user_model().objects.filter(username__iexact=candidate).exists()
        ):
            return candidate
    raise SignInRefused(SignInRefusal.AMBIGUOUS, identity_of(claims))


def _new_login(*, username: str, claims: dict, email: str) -> AbstractBaseUser:
    login = get_user_model()(
        username=username,
        email=email,
        first_name=str(claims.get("given_name") or "")[:150],
        last_name=str(claims.get("family_name") or "")[:150],
    )
    login.set_unusable_password()  # they sign in through the provider
    try:
        login.full_clean(exclude=["password"])
    except ValidationError:
        raise SignInRefused(SignInRefusal.AMBIGUOUS, username) from None
    login.save()
    return login


@transaction.atomic
def login_create_for_person(*, person: Person, claims: dict) -> AbstractBaseUser:
    """A login for a person the HR sync provisioned without one, linked to them (`person.updated`).
    A leaver gets none (refused as terminated). Raises SignInRefused."""
    person = Person.objects.select_for_update().get(pk=person.pk)  # two first sign-ins at once: one login
    if person.user_id:
        return person.user
    if person.is_terminated:
        raise SignInRefused(SignInRefusal.TERMINATED, person.email)
    login = _new_login(username=_new_username(claims, person.email), claims=claims, email=person.email)
    person_update(person=person, data={"user": login})
    return login


@transaction.atomic
def login_create_just_in_time(*, claims: dict, email: str) -> AbstractBaseUser:
    """A person and login for someone nobody provisioned (OIDC_CREATE_USER): names from the claims, the
    verified email as work email, a derived external id `sso-<32 hex digits>` HR can later replace, and no
    group (they see their own record until someone gives them a role). Raises SignInRefused."""
    login = _new_login(username=_new_username(claims, email), claims=claims, email=email)
    # A person needs both names; a provider that sends neither gets the email's local part and a dash.
    first_name, _space, last_name = str(claims.get("name") or "").strip().partition(" ")
    try:
        person_create(
            external_id=f"{JUST_IN_TIME_PREFIX}{uuid.uuid4().hex}",
            first_name=login.first_name or first_name[:150] or email.partition("@")[0][:150],
            last_name=login.last_name or last_name[:150] or "-",
            email=email,
            user=login,
        )
    except ValidationError:
        raise SignInRefused(SignInRefusal.AMBIGUOUS, email) from None
    return login
