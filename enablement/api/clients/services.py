"""Services for API clients: create one (its token shown once), revoke it, tell which live client a
presented token belongs to (and why a refused one is refused), and prune the request log.

A token reads `ema_<prefix>_<secret>`: `prefix` is 8 hex digits, public, shown in lists and used to find
the client; `secret` is 32 random bytes, url-safe base64. Only the SHA-256 of the secret is stored: a
256-bit random secret needs no slow hash, and a database leak gives away no working token.
"""

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enablement.accounts import policy, roles
from enablement.models import ApiClient, ApiRequestLog

KIND = "ema"  # the first part of every token: says what it is in a leaked log or a secret scanner
LAST_USED_RESOLUTION = timedelta(minutes=1)
_TOKEN = re.compile(rf"{KIND}_([0-9a-f]{{8}})_([A-Za-z0-9_-]{{43}})")
# Compared against when no client has the prefix, so an unknown prefix costs the same work as a known one.
_NO_CLIENT_HASH = hashlib.sha256(b"").hexdigest()


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _new_prefix() -> str:
    User = get_user_model()
    while True:
        prefix = secrets.token_hex(4)
        username = f"{ApiClient.USERNAME_PREFIX}{prefix}"
        if not (ApiClient.objects.filter(prefix=prefix).exists() or User.objects.filter(username=username).exists()):
            return prefix


@transaction.atomic
def api_client_create(
    *, name: str, scopes: Iterable[str], by: AbstractBaseUser | None, hr_admin: bool = False
) -> tuple[ApiClient, str]:
    """Creates a client, the account it acts as (in the HR admin group when `hr_admin`, so it sees what an
    HR admin sees) and its token. Returns the client and the token, which is stored nowhere: it cannot be
    shown again. Raises ValidationError for a blank name, no scope or an unknown scope (on `scopes`)."""
    prefix = _new_prefix()
    secret = secrets.token_urlsafe(32)
    client = ApiClient(
        name=name.strip(), scopes=frozenset(scopes), owner=by, prefix=prefix, token_hash=token_hash(secret)
    )
    client.full_clean(exclude=["user"])
    client.user = get_user_model().objects.create_user(
        username=f"{ApiClient.USERNAME_PREFIX}{prefix}", first_name=client.name[:150]
    )  # no password given: an unusable one
    client.save()
    if hr_admin:
        client.user.groups.add(Group.objects.get(name=roles.HR_ADMIN))
    return client, f"{KIND}_{prefix}_{secret}"


@transaction.atomic
def api_client_revoke(*, client: ApiClient, by: AbstractBaseUser | None) -> ApiClient:
    """Revokes the client's token at once (its next request gets a 401) and deactivates the account it
    acts as. Idempotent: revoking a revoked client changes nothing. Returns the client as stored."""
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if client.is_revoked:
        return client
    client.revoked_at = timezone.now()
    client.revoked_by = by
    client.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    get_user_model().objects.filter(pk=client.user_id).update(is_active=False)
    return client


@dataclass(frozen=True)
class TokenCheck:
    """What `api_client_verify` found: the client the token's prefix names (None for a malformed token or an
    unknown prefix) and, when the token does not work, why (None when it does)."""

    client: ApiClient | None
    refusal: str | None

    @property
    def accepted(self) -> bool:
        return self.client is not None and self.refusal is None


def api_client_verify(token: str) -> TokenCheck:
    """Checks a presented token. It works when it is well formed, its prefix names a client, its secret's
    hash matches (compared in constant time, the same work for an unknown prefix), the client is not revoked,
    its account is active, and whoever created it (when a person did) is still an active HR admin: a token
    outlives neither its client's revocation nor its creator's rights, so an HR admin who leaves takes no
    working token with them (one created on the command line has no creator, and lives until revoked).
    Records the use in `last_used_at` at most once a minute per client, so a busy client does not cost a
    write per request."""
    match = _TOKEN.fullmatch(token)
    if match is None:
        return TokenCheck(None, _("The token is not valid."))
    prefix, secret = match.groups()
    client = ApiClient.objects.select_related("user", "owner").filter(prefix=prefix).first()
    matches = hmac.compare_digest(token_hash(secret), client.token_hash if client else _NO_CLIENT_HASH)
    if client is None:
        return TokenCheck(None, _("The token is not valid, or has been revoked."))
    if not matches or client.is_revoked or not client.user.is_active:
        return TokenCheck(client, _("The token is not valid, or has been revoked."))
    owner = client.owner
    if owner is not None and not (owner.is_active and policy.is_hr_admin(owner)):
        return TokenCheck(
            client,
            _(
                "The token was created by someone who is no longer an HR admin, so it no longer works; "
                "ask an HR admin to create a new API client."
            ),
        )
    _record_use(client)
    return TokenCheck(client, None)


def api_client_authenticate(token: str) -> ApiClient | None:
    """The live client `token` belongs to (with its `user`), or None when it does not work (see
    `api_client_verify`)."""
    check = api_client_verify(token)
    return check.client if check.accepted else None


def api_request_log_prune(*, older_than: timedelta, batch_size: int = 5000) -> int:
    """Deletes `ApiRequestLog` rows created more than `older_than` ago, `batch_size` rows per statement (each
    its own short transaction, so a large backlog never holds a long lock); returns how many. Idempotent, and
    safe beside the writes of live requests, which are all newer."""
    cutoff = timezone.now() - older_than
    deleted = 0
    while True:
        batch = list(
            ApiRequestLog.objects.filter(created_at__lt=cutoff).order_by("pk").values_list("pk", flat=True)[:batch_size]
        )
        if not batch:
            return deleted
        count, _by_model = ApiRequestLog.objects.filter(pk__in=batch).delete()
        deleted += count
        if len(batch) < batch_size:
            return deleted


def _record_use(client: ApiClient) -> None:
    now = timezone.now()
    if client.last_used_at is not None and now - client.last_used_at < LAST_USED_RESOLUTION:
        return
    # Conditional, so concurrent first requests of a minute write once; `updated_at` stays for real changes.
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION)
    ApiClient.objects.filter(stale, pk=client.pk).update(last_used_at=now)
    client.last_used_at = now
