"""Who may sign in, and how: the one place that decides, for passwords and for single sign-on.

- A password signs in any active login while PASSWORD_SIGN_IN is on; switched off, only superusers (the
  break-glass accounts) may still use one.
- Single sign-on signs in a person's login: the person provisioned by SCIM or the HR sync, still employed,
  their login active. Never an API client's account (a machine), never a superuser (the identity provider
  must not be able to take over a break-glass account by naming it), never a login nobody is the person of.
"""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from enablement.accounts import policy
from enablement.models import ApiClient, Person


class SignInRefusal(models.TextChoices):
    """Why a sign-in was refused; each has its own explanation on the refusal page."""

    NOT_PROVISIONED = "not_provisioned", _("No account here")
    TERMINATED = "terminated", _("Employment ended")
    DEACTIVATED = "deactivated", _("Login switched off")
    MACHINE_ACCOUNT = "machine_account", _("A machine account")
    SUPERUSER = "superuser", _("An administrator account")
    AMBIGUOUS = "ambiguous", _("More than one account")
    INVALID_RESPONSE = "invalid_response", _("Answer not verified")
    PROVIDER_ERROR = "provider_error", _("Sign-in not completed")
    EXPIRED = "expired", _("Sign-in expired")
    UNAVAILABLE = "unavailable", _("Single sign-on unavailable")
    LOCKED_OUT = "locked_out", _("Too many failed sign-ins")


def is_machine_account(user: AbstractBaseUser) -> bool:
    """An API client's account: by its relation (the policy's test), and by the `api:` mark that no person's
    username can carry (SCIM refuses it), should a login ever have it without the relation."""
    return user.get_username().startswith(ApiClient.USERNAME_PREFIX) or policy.is_api_client(user)


def sso_refusal(user: AbstractBaseUser) -> SignInRefusal | None:
    """Why `user` may not sign in through single sign-on, or None when they may."""
    if is_machine_account(user):
        return SignInRefusal.MACHINE_ACCOUNT
    if user.is_superuser:
        return SignInRefusal.SUPERUSER
    try:
        person = user.person
    except Person.DoesNotExist:
        return SignInRefusal.NOT_PROVISIONED
    if person.is_terminated:
        return SignInRefusal.TERMINATED
    if not user.is_active:
        return SignInRefusal.DEACTIVATED
    return None


def password_sign_in_allowed(user: AbstractBaseUser) -> bool:
    """Whether `user` may sign in with a password (Django's admin sign-in included)."""
    return settings.PASSWORD_SIGN_IN or user.is_superuser


class PasswordBackend(ModelBackend):
    """Django's password backend under PASSWORD_SIGN_IN. With it off, a session that a password opened for
    anyone but a superuser ends at its next request, as `get_user` asks the same question."""

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and password_sign_in_allowed(user)


def axes_username(request, credentials: dict | None) -> str | None:
    """The username django-axes counts a failed sign-in against: the form's, or for single sign-on the
    account the provider's answer named (`request.sso_username`, set once it is known; before that, none,
    so failures that name nobody count against the address alone)."""
    if credentials and credentials.get("username"):
        return credentials["username"]
    sso_username = getattr(request, "sso_username", None)
    if sso_username:
        return sso_username
    if credentials:
        return None
    return getattr(request, "data", request.POST).get("username")
