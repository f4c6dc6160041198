"""Reads of what happened to leavers' coaching work (`LeaverHandover`), scoped to the asking user."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from coaching.models import LeaverHandover
from enablement.accounts import policy as org_policy
from enablement.accounts.policy import User

# How long a leaver's handover stays in the leader's "Recently left" box and its reminder stays open.
RECENTLY_LEFT_DAYS = 30


def recently_left_since(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(days=RECENTLY_LEFT_DAYS)


def recent_handovers_for(*, user: User, now: datetime.datetime | None = None) -> QuerySet[LeaverHandover]:
    """Handovers of the last RECENTLY_LEFT_DAYS of people who were below the user (a leaver keeps their
    place in the tree) or flagged for the user, newest first, with the people they name. One query."""
    if not user.is_authenticated:
        return LeaverHandover.objects.none()
    visible = Q(pk__in=org_policy.scope_to_own_tree(user, LeaverHandover.objects.all(), "leaver").values("pk"))
    person = org_policy.person_for(user)
    if person is not None:
        visible |= Q(flag_for=person)
    return (
        LeaverHandover.objects.filter(visible, created_at__gte=recently_left_since(now))
        .select_related("leaver", "successor", "flag_for")
        .order_by("-created_at", "-pk")
    )
