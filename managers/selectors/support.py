"""Reads for support: ratings of the charters' support items (a person's own, a leader's view per item and
per role) and support requests, each scoped to the asking user and a fixed number of queries."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from statistics import mean

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Case, Prefetch, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from enablement.accounts import policy as org_policy
from enablement.accounts.policy import User
from enablement.models import Person
from managers import policy
from managers.models import (
    OPEN_REQUEST_STATES,
    CharterVersion,
    Role,
    RoleAssignment,
    SupportFunction,
    SupportItem,
    SupportRating,
    SupportRequest,
    SupportRequestEntry,
)

# How far back a rating still speaks for an item: a year of quarterly check-ins.
RATING_LOOKBACK_MONTHS = 12
LOW_SCORE = 2


def item_key(kind: str, name: str) -> tuple[str, str]:
    """What makes a support item the same item across charter versions: its kind and name."""
    return kind, " ".join(name.split()).casefold()


def _latest_first(person_ids: Iterable[int], today: datetime.date | None) -> QuerySet[SupportRating]:
    """The ratings that may speak for an item now (the last RATING_LOOKBACK_MONTHS), each person's latest first."""
    since = (today or timezone.localdate()) - relativedelta(months=RATING_LOOKBACK_MONTHS)
    return SupportRating.objects.filter(person_id__any=list(person_ids), quarter__gte=since).order_by(
        "person_id", "-quarter", "-updated_at", "-pk"
    )


def latest_ratings(person_ids: Iterable[int], *, today: datetime.date | None = None) -> dict[int, dict]:
    """Per person, per (role, item key): their latest rating of the last RATING_LOOKBACK_MONTHS. One query."""
    latest: dict[int, dict] = defaultdict(dict)
    for rating in _latest_first(person_ids, today):
        latest[rating.person_id].setdefault((rating.role_id, *item_key(rating.item_kind, rating.item_name)), rating)
    return latest


def latest_scores(person_ids: Iterable[int], *, today: datetime.date | None = None) -> dict[int, dict]:
    """`latest_ratings`' scores only (per person, per (role, item key)), for figures over many people. One query."""
    latest: dict[int, dict] = defaultdict(dict)
    rows = _latest_first(person_ids, today).values_list("person_id", "role_id", "item_kind", "item_name", "score")
    for person_id, role_id, kind, name, score in rows:
        latest[person_id].setdefault((role_id, *item_key(kind, name)), score)
    return latest


@dataclass
class RatedItem:
    """A support item of a charter with the ratings that speak for it now."""

    item: SupportItem
    ratings: list[SupportRating] = field(default_factory=list)

    @property
    def mean(self) -> float | None:
        return mean(rating.score for rating in self.ratings) if self.ratings else None

    @property
    def lowest(self) -> int | None:
        return min((rating.score for rating in self.ratings), default=None)

    @property
    def low_count(self) -> int:
        return sum(1 for rating in self.ratings if rating.score <= LOW_SCORE)

    @property
    def notes(self) -> list[str]:
        return [rating.note for rating in self.ratings if rating.note]


def rated_items(items: Iterable[SupportItem], ratings_by_key: dict) -> list[RatedItem]:
    """Each item with the ratings `ratings_by_key` ((role, kind, name) -> [ratings]) holds for it."""
    return [
        RatedItem(item, ratings_by_key.get((item.version.role_id, *item_key(item.kind, item.name)), []))
        for item in items
    ]


def my_support_ratings(*, person) -> tuple[list[RatedItem], bool]:
    """The support items of the person's current charter with their own latest rating of each, and
    whether a rating is due (none yet, or the last one SUPPORT_RATING_EVERY_DAYS old). Three queries."""
    assignment = RoleAssignment.objects.filter(person=person, ended_on__isnull=True).first()
    if assignment is None:
        return [], False
    items = list(
        SupportItem.objects.filter(
            version__role_id=assignment.role_id, version__status=CharterVersion.Status.PUBLISHED
        ).select_related("version")
    )
    mine = latest_ratings([person.pk]).get(person.pk, {})
    rated = rated_items(items, {key: [rating] for key, rating in mine.items()})
    due_before = timezone.now() - datetime.timedelta(days=settings.SUPPORT_RATING_EVERY_DAYS)
    due = bool(items) and any(not entry.ratings or entry.ratings[0].updated_at < due_before for entry in rated)
    return rated, due


@dataclass
class RoleSupport:
    role: Role
    items: list[RatedItem]
    raters: int

    @property
    def mean(self) -> float | None:
        scores = [rating.score for entry in self.items for rating in entry.ratings]
        return mean(scores) if scores else None


def support_ratings_by_role(*, user: User) -> list[RoleSupport]:
    """For each role with a published charter that names support, each item with the latest ratings of
    the current holders `user` may see (a leader: their sub-tree), per item and for the role. Four queries."""
    holders = org_policy.scope_to_own_tree(
        user, RoleAssignment.objects.filter(ended_on__isnull=True), "person"
    ).values_list("person_id", "role_id")
    role_of = dict(holders)
    items = list(
        SupportItem.objects.filter(version__status=CharterVersion.Status.PUBLISHED)
        .filter(version__role__in=policy.roles_visible_to(user))
        .select_related("version__role")
        .order_by("version__role__name", "position", "pk")
    )
    by_key: dict[tuple, list[SupportRating]] = defaultdict(list)
    for person_id, ratings in latest_ratings(role_of).items():
        for (role_id, *key), rating in ratings.items():
            if role_of.get(person_id) == role_id:
                by_key[(role_id, *key)].append(rating)
    roles: dict[int, RoleSupport] = {}
    for entry in rated_items(items, by_key):
        role = entry.item.version.role
        group = roles.setdefault(role.pk, RoleSupport(role, [], 0))
        group.items.append(entry)
    for group in roles.values():
        group.raters = len({rating.person_id for entry in group.items for rating in entry.ratings})
    return list(roles.values())


# Support requests.

AGE_BUCKETS = {
    "week": (None, 7),
    "month": (8, 30),
    "older": (31, None),
}
SCOPE_ASSIGNED, SCOPE_RAISED, SCOPE_TREE = "assigned", "raised", "tree"


def _with_people(requests: QuerySet[SupportRequest]) -> QuerySet[SupportRequest]:
    return requests.select_related("raised_by", "owner", "function", "support_item", "raised_by__manager")


def support_requests_for(
    *,
    user: User,
    scope: str = SCOPE_TREE,
    function: SupportFunction | None = None,
    state: str | None = None,
    age: str | None = None,
    overdue: bool = False,
    raised_by: Person | None = None,
    now: datetime.datetime | None = None,
) -> QuerySet[SupportRequest]:
    """The requests `user` may see, narrowed: assigned to them, raised by them, or their whole view (a
    leader's sub-tree); by function, state ("open" for every state still open), age in days, first
    response overdue, or raiser. Oldest open first. One query (two with a paginator's count)."""
    now = now or timezone.now()
    person = org_policy.person_for(user)
    requests = policy.support_requests_visible_to(user)
    if scope == SCOPE_ASSIGNED:
        requests = requests.filter(owner=person) if person else requests.none()
    elif scope == SCOPE_RAISED:
        requests = requests.filter(raised_by=person) if person else requests.none()
    if function is not None:
        requests = requests.filter(function=function)
    if state == "open":
        requests = requests.filter(state__in=OPEN_REQUEST_STATES)
    elif state:
        requests = requests.filter(state=state)
    if age in AGE_BUCKETS:
        youngest, oldest = AGE_BUCKETS[age]
        if youngest is not None:
            requests = requests.filter(created_at__lte=now - datetime.timedelta(days=youngest))
        if oldest is not None:
            requests = requests.filter(created_at__gt=now - datetime.timedelta(days=oldest + 1))
    if overdue:
        requests = requests.filter(
            state=SupportRequest.State.OPEN, first_response_at__isnull=True, first_response_due_at__lte=now
        )
    if raised_by is not None:
        requests = requests.filter(raised_by=raised_by)
    still_open = Case(When(state__in=OPEN_REQUEST_STATES, then=Value(0)), default=Value(1))
    return _with_people(requests).order_by(still_open, "created_at", "pk")


def support_request_for(*, user: User, pk: int) -> SupportRequest:
    """One request the user may see, with its thread; Http404 otherwise."""
    return get_object_or_404(
        _with_people(policy.support_requests_visible_to(user)).prefetch_related(
            Prefetch("entries", queryset=SupportRequestEntry.objects.select_related("author"))
        ),
        pk=pk,
    )


def support_functions() -> QuerySet[SupportFunction]:
    return SupportFunction.objects.filter(is_active=True).select_related("owner")


def age_in_days(request: SupportRequest, now: datetime.datetime | None = None) -> int:
    return ((now or timezone.now()) - request.created_at).days
