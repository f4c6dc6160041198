import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enablement.api.scopes import API_SCOPES, unknown_scopes
from enablement.models.org import TimeStampedModel


class _ScopeSetEncoder(json.JSONEncoder):
    def default(self, o):
        if isinstance(o, set | frozenset):
            return sorted(o)
        return super().default(o)


class ScopeSetField(models.JSONField):
    """A set of scope names, stored as a sorted JSON list and read back as a frozenset: the shape
    `enablement.api.base.ScopedPermission` checks a request against (`request.auth.scopes`)."""

    def __init__(self, *args, **kwargs):
        kwargs["encoder"] = _ScopeSetEncoder
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        del kwargs["encoder"]
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        value = super().from_db_value(value, expression, connection)
        return frozenset(value) if isinstance(value, list) else value

    def value_to_string(self, obj):
        return sorted(self.value_from_object(obj))


class ApiClient(TimeStampedModel):
    """A machine client of the HR integration API (an HR system, a provisioning script).

    Its token, `ema_<prefix>_<secret>`, is shown once when the client is created; only the SHA-256 of
    the secret is stored, and the prefix identifies the client in lists and logs.

    Each client acts through its own Django user, `user` (username `api:<prefix>`, no usable password,
    no email, never staff), created with the client: a token request's `request.user` is that user and
    `request.auth` the client. So every queryset the apps already scope to `request.user` works for
    machines unchanged, and what a client sees is what that user's groups give it (the HR admin group
    for an HR system), while its scopes say which endpoints it may call at all. Humans cannot sign in
    as it: the password is unusable, `:` is not allowed in a username anyone can choose, the user admin
    does not list it, and revoking the client deactivates it. `enablement.accounts.policy.is_api_client`
    recognises it.
    """

    USERNAME_PREFIX = "api:"

    name = models.CharField(_("name"), max_length=200)
    scopes = ScopeSetField(_("scopes"), help_text=_("What the token may do; see enablement.api.scopes."))
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_client",
        verbose_name=_("acts as"),
        help_text=_("The account behind the token: its groups decide which records the client sees."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_api_clients",
        verbose_name=_("created by"),
        help_text=_("Empty when created from the command line."),
    )
    prefix = models.CharField(_("prefix"), max_length=8, unique=True, editable=False)
    token_hash = models.CharField(_("token hash"), max_length=64, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revoked_api_clients",
        verbose_name=_("revoked by"),
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked_by__isnull=True) | Q(revoked_at__isnull=False),
                name="api_client_revoked_by_only_when_revoked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def scope_list(self) -> list[str]:
        return sorted(self.scopes)

    def clean(self) -> None:
        if not self.scopes:
            raise ValidationError({"scopes": _("Give the client at least one scope.")})
        unknown = unknown_scopes(self.scopes)
        if unknown:
            raise ValidationError(
                {
                    "scopes": _("Unknown scope(s): %(unknown)s. Known: %(known)s.")
                    % {"unknown": ", ".join(unknown), "known": ", ".join(API_SCOPES)}
                }
            )


class ApiRequestLog(models.Model):
    """One API request made with a client's token: who, what and how it ended. Written once, after the
    response, by `enablement.api.middleware.ApiRequestLogMiddleware`; never changed."""

    client = models.ForeignKey(
        ApiClient, on_delete=models.PROTECT, related_name="requests", verbose_name=_("API client")
    )
    method = models.CharField(_("method"), max_length=10)
    path = models.CharField(_("path"), max_length=500)
    status_code = models.PositiveSmallIntegerField(_("status code"))
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API request")
        verbose_name_plural = _("API requests")
        indexes = [
            models.Index(fields=["client", "-created_at"], name="api_request_client_time"),
            models.Index(fields=["created_at"], name="api_request_time"),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} {self.status_code}"
