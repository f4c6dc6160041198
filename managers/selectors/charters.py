"""Reads for the charter pages and API, each scoped to the asking user and a fixed number of queries."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from enablement.accounts import policy as org_policy
from enablement.accounts.policy import User
from enablement.models import Person
from managers import policy
from managers.charts import sparkline_svg
from managers.models import (
    Acknowledgement,
    CharterEvent,
    CharterVersion,
    MetricReading,
    Role,
    RoleAssignment,
    RoleCompetency,
    SuccessMetric,
)
from managers.periods import period_label

ITEM_PREFETCHES = ("focus_areas", "deprioritized", "metrics", "support_items")


def _published_version_field(field: str) -> Subquery:
    published = CharterVersion.objects.filter(role=OuterRef("pk"), status=CharterVersion.Status.PUBLISHED)
    return Subquery(published.values(field)[:1])


def _acknowledgements_of_published(aggregate) -> Subquery:
    """An aggregate over the published version's acknowledgements by people who hold the role now
    (someone who moved on keeps their acknowledgement, but no longer counts)."""
    rows = (
        Acknowledgement.objects.filter(
            Exists(RoleAssignment.objects.current().filter(person=OuterRef("person"), role=OuterRef("version__role"))),
            version__role=OuterRef("pk"),
            version__status=CharterVersion.Status.PUBLISHED,
        )
        .order_by()
        .values("version__role")
        .annotate(value=aggregate)
        .values("value")
    )
    return Subquery(rows[:1])


def role_overview_for(*, user: User) -> QuerySet[Role]:
    """Roles with their charter state, adoption and clarity, in one query however many roles there are."""
    draft = CharterVersion.objects.filter(role=OuterRef("pk"), status=CharterVersion.Status.DRAFT)
    holders = (
        RoleAssignment.objects.current()
        .filter(role=OuterRef("pk"))
        .order_by()
        .values("role")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return policy.roles_visible_to(user).annotate(
        published_number=_published_version_field("number"),
        published_id=_published_version_field("pk"),
        draft_number=Subquery(draft.values("number")[:1]),
        draft_id=Subquery(draft.values("pk")[:1]),
        holder_count=Subquery(holders[:1], output_field=IntegerField()),
        acknowledged_count=_acknowledgements_of_published(Count("pk", filter=Q(acknowledged_at__isnull=False))),
        clarity_focus=_acknowledgements_of_published(Avg("clarity_focus")),
        clarity_deprioritize=_acknowledgements_of_published(Avg("clarity_deprioritize")),
        clarity_success=_acknowledgements_of_published(Avg("clarity_success")),
    )


def version_with_items(queryset: QuerySet[CharterVersion]) -> QuerySet[CharterVersion]:
    return queryset.select_related("role", "published_by", "created_by").prefetch_related(*ITEM_PREFETCHES)


def current_role_of(*, person: Person) -> Role | None:
    assignment = person.role_assignments.current().select_related("role").first()
    return assignment.role if assignment else None


def current_requirements_of(*, person: Person) -> QuerySet[RoleCompetency]:
    """What the role the person holds now requires, with the competencies (none without a role)."""
    current = RoleAssignment.objects.current().filter(person=person).values("role")
    return RoleCompetency.objects.filter(role__in=current).select_related("competency")


def current_charter_of(*, person: Person) -> tuple[Role | None, CharterVersion | None]:
    """The role the person holds now and its published charter with items; either may be None."""
    role = current_role_of(person=person)
    return role, published_charter_of(role=role) if role else None


def published_charter_of(*, role: Role) -> CharterVersion | None:
    return version_with_items(role.versions.filter(status=CharterVersion.Status.PUBLISHED)).first()


def last_acknowledged_version(*, person: Person, role: Role) -> CharterVersion | None:
    """The newest version of `role` the person acknowledged, with its items (for "what changed since")."""
    acknowledged = CharterVersion.objects.filter(
        role=role, acknowledgements__person=person, acknowledgements__acknowledged_at__isnull=False
    )
    return version_with_items(acknowledged.order_by("-number")).first()


def questions_of(*, person: Person) -> QuerySet[Acknowledgement]:
    return (
        Acknowledgement.objects.filter(person=person)
        .exclude(question="")
        .select_related("version", "answered_by")
        .order_by("-acknowledged_at")
    )


@dataclass(frozen=True)
class MetricStatus:
    """How a metric stands for one person: see `metric_status` for the rule."""

    metric: SuccessMetric
    readings: list[MetricReading]
    status: str

    @property
    def latest(self) -> MetricReading | None:
        return self.readings[-1] if self.readings else None

    @property
    def latest_period(self) -> str:
        """The latest reading's period as people say it: "Nov 2026", "Q3 2026", "Week of 02 Nov 2026"."""
        return period_label(self.latest.period, self.metric.cadence) if self.readings else ""

    @property
    def sparkline(self) -> str:
        label = f"{self.metric.name}: {len(self.readings)} readings against a target of {self.metric.target}"
        return sparkline_svg([reading.value for reading in self.readings], self.metric.target, label=label)


ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA = "on_track", "at_risk", "off_track", "no_data"
# How far from target a reading may be and still count as "at risk" rather than "off track".
AT_RISK_TOLERANCE = Decimal("0.10")


def metric_status(metric: SuccessMetric, value: Decimal | None) -> str:
    """On track: at or better than target. At risk: worse, but within 10% of the target. Off track:
    further away. Higher-is-better compares value >= target; lower-is-better value <= target."""
    if value is None:
        return NO_DATA
    target, margin = metric.target, abs(metric.target) * AT_RISK_TOLERANCE
    if metric.direction == SuccessMetric.Direction.HIGHER:
        return ON_TRACK if value >= target else AT_RISK if value >= target - margin else OFF_TRACK
    return ON_TRACK if value <= target else AT_RISK if value <= target + margin else OFF_TRACK


def metric_statuses_for(*, person: Person, version: CharterVersion) -> list[MetricStatus]:
    """Each metric of the version with the person's readings (by metric key, across versions): one query."""
    metrics = list(version.metrics.all())
    readings = MetricReading.objects.filter(person=person, metric_key__in=[metric.key for metric in metrics])
    by_key: dict = {}
    for reading in readings.order_by("period"):
        by_key.setdefault(reading.metric_key, []).append(reading)
    statuses = []
    for metric in metrics:
        history = by_key.get(metric.key, [])
        statuses.append(MetricStatus(metric, history, metric_status(metric, history[-1].value if history else None)))
    return statuses


def questions_for(*, user: User) -> QuerySet[Acknowledgement]:
    """Questions holders asked with their acknowledgements, unanswered first, for the people `user` sees."""
    return (
        policy.acknowledgements_visible_to(user)
        .exclude(question="")
        .select_related("person", "version__role", "answered_by")
        .order_by(F("answered_at").asc(nulls_first=True), "-acknowledged_at")
    )


def events_of(*, role: Role, limit: int = 100) -> QuerySet[CharterEvent]:
    return role.events.select_related("actor", "version")[:limit]


def holders_of(*, role: Role) -> QuerySet[RoleAssignment]:
    return role.assignments.current().select_related("person", "person__team")


@dataclass(frozen=True)
class HolderStatus:
    """A current holder of a role and where they stand with its published version, as `user` sees it:
    `acknowledgement` is None when there is nothing to acknowledge or the holder is outside the user's tree."""

    assignment: RoleAssignment
    acknowledgement: Acknowledgement | None
    remind_error: str | None  # why the Remind button is not offered (None: it is)

    @property
    def person(self) -> Person:
        return self.assignment.person


def holder_statuses_of(*, user: User, role: Role) -> list[HolderStatus]:
    """Each current holder with their acknowledgement of the published version (acknowledged when, with
    ratings, or pending since when, and when a leader last reminded them): two queries however many holders.
    Pending first, longest waiting first, then by name."""
    holders = list(holders_of(role=role).select_related("person__user"))
    acknowledgements = {
        acknowledgement.person_id: acknowledgement
        for acknowledgement in policy.acknowledgements_visible_to(user)
        .filter(version__role=role, version__status=CharterVersion.Status.PUBLISHED)
        .select_related("version", "reminded_by")
    }
    now = timezone.now()
    statuses = []
    for assignment in holders:
        acknowledgement = acknowledgements.get(assignment.person_id)
        if acknowledgement is not None:
            acknowledgement.person = assignment.person  # already loaded: no query per row
        error = ""
        if acknowledgement is not None and acknowledgement.is_pending and not policy.is_own(user, acknowledgement):
            error = policy.leader_remind_error(acknowledgement, now)
        statuses.append(HolderStatus(assignment, acknowledgement, error))

    def order(status: HolderStatus):
        acknowledgement = status.acknowledgement
        pending = acknowledgement is not None and acknowledgement.is_pending
        since = acknowledgement.requested_at.timestamp() if pending else 0
        return (not pending, since, status.person.last_name, status.person.first_name)

    return sorted(statuses, key=order)


def acknowledgements_of(*, user: User, version: CharterVersion) -> QuerySet[Acknowledgement]:
    """The version's acknowledgements that `user` may see (a leader: their own tree's)."""
    return (
        policy.acknowledgements_visible_to(user)
        .filter(version=version)
        .select_related("person")
        .order_by("person__last_name", "person__first_name")
    )


def people_assignable_by(*, user: User) -> QuerySet[Person]:
    return org_policy.people_visible_to(user).current().order_by("last_name", "first_name")


def versions_for_role(*, user: User, role: Role) -> QuerySet[CharterVersion]:
    return policy.versions_visible_to(user).filter(role=role).select_related("published_by")


def acknowledgement_for(*, person: Person, version: CharterVersion) -> Acknowledgement | None:
    return Acknowledgement.objects.filter(person=person, version=version).select_related("answered_by").first()
