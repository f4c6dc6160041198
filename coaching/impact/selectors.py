"""Manager impact: for each manager, the three levers side by side with their team's performance, never
combined into one score (README, "Manager impact"):

- clarity: the current charter acknowledged (or pending since when), the manager's three clarity ratings,
  questions to their leader still unanswered, and the team pulse's clarity band;
- skills: the weighted gap index of the manager's role now and a quarter ago, the active plan's progress
  and overdue tasks, and how many of their team had a 1:1 or development conversation in ONE_ON_ONE_DAYS;
- support: the manager's support ratings (mean and lowest item), their open support requests and the
  oldest one's age, and the team pulse's support band;
- team performance: the charter's success metrics on track in their latest period, the trend against the
  period before, and the team pulse's engagement band.

`manager_impacts` computes all of it for any number of managers in a fixed number of queries. Team pulse
figures come only from `coaching.pulse.selectors.PulseResults` under its confidentiality rules: a band is
shown when the rules release it, otherwise "not enough responses yet"; no answer is read here.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import mean

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from coaching import policy
from coaching.impact.bands import NO_BAND, Band, band_of
from coaching.models import CoachingPlan, CoachingSession, CoachingTask, Lever, PulseSeries
from coaching.models.plans import ActivityKind
from coaching.pulse.selectors import NO_DATA, PulseResults
from coaching.selectors.gaps import TWO_PLACES, gap_index_sums
from coaching.selectors.plans import progress_percent, with_progress
from enablement.accounts.policy import User
from enablement.models import Person
from managers.models import (
    OPEN_REQUEST_STATES,
    Acknowledgement,
    CharterVersion,
    MetricReading,
    SuccessMetric,
    SupportItem,
    SupportRequest,
)
from managers.selectors.charters import ON_TRACK, MetricStatus, metric_status
from managers.selectors.support import RatedItem, latest_ratings, rated_items

ONE_ON_ONE_DAYS = 180
GAP_COMPARED_DAYS = 91  # "since last quarter"
CLOSED_REQUEST_DAYS = 90  # a card lists the support requests closed this recently


# -- the figures ----------------------------------------------------------------------------------------


@dataclass
class Clarity:
    version: CharterVersion | None = None
    acknowledged_at: datetime.datetime | None = None
    pending_since: datetime.datetime | None = None
    ratings: tuple[int, int, int] | None = None  # focus, deprioritize, success
    rated_version: int | None = None
    unanswered: int = 0
    oldest_unanswered_at: datetime.datetime | None = None
    pulse: Band = NO_BAND

    @property
    def ratings_mean(self) -> float | None:
        return mean(self.ratings) if self.ratings else None


@dataclass
class Skills:
    gap_index: Decimal | None = None
    gap_index_before: Decimal | None = None
    assessed: int = 0
    required: int = 0
    plan: CoachingPlan | None = None
    progress: int | None = None
    overdue_tasks: int = 0
    team: int = 0
    team_without_conversation: list[Person] = field(default_factory=list)

    @property
    def gap_change(self) -> Decimal | None:
        if self.gap_index is None or self.gap_index_before is None:
            return None
        return self.gap_index - self.gap_index_before

    @property
    def team_with_conversation(self) -> int:
        return self.team - len(self.team_without_conversation)


@dataclass
class Support:
    items: list[RatedItem] = field(default_factory=list)
    open_requests: list[SupportRequest] = field(default_factory=list)  # oldest first
    pulse: Band = NO_BAND
    closed_requests: list[SupportRequest] = field(default_factory=list)  # with `history` only: a card's

    @property
    def scores(self) -> list[int]:
        return [entry.ratings[0].score for entry in self.items if entry.ratings]

    @property
    def mean(self) -> float | None:
        return mean(self.scores) if self.scores else None

    @property
    def lowest(self) -> RatedItem | None:
        rated = [entry for entry in self.items if entry.ratings]
        return min(rated, key=lambda entry: (entry.ratings[0].score, entry.item.position)) if rated else None

    @property
    def oldest_open(self) -> SupportRequest | None:
        return self.open_requests[0] if self.open_requests else None


@dataclass
class Performance:
    statuses: list[MetricStatus] = field(default_factory=list)
    previous: dict[int, str] = field(default_factory=dict)  # metric id -> status of the reading before the latest
    engagement: Band = NO_BAND

    @property
    def total(self) -> int:
        return len(self.statuses)

    @property
    def on_track(self) -> int:
        return sum(1 for status in self.statuses if status.status == ON_TRACK)

    @property
    def with_readings(self) -> int:
        return sum(1 for status in self.statuses if status.readings)

    @property
    def off_track(self) -> int:
        return sum(1 for status in self.statuses if status.status == "off_track")

    @property
    def previous_on_track(self) -> int | None:
        return sum(1 for status in self.previous.values() if status == ON_TRACK) if self.previous else None

    @property
    def trend(self) -> str | None:
        """up, down or flat: metrics on track now against the period before (None without two readings)."""
        if self.previous_on_track is None:
            return None
        now = sum(1 for status in self.statuses if status.metric.pk in self.previous and status.status == ON_TRACK)
        return "up" if now > self.previous_on_track else "down" if now < self.previous_on_track else "flat"

    @property
    def meets(self) -> bool | None:
        return meets_metrics(total=self.total, with_readings=self.with_readings, on_track=self.on_track)


def meets_metrics(*, total: int, with_readings: int, on_track: int) -> bool | None:
    """Meeting their metrics: every metric of the charter has a reading and all are on track. None when the
    charter has no metric or nothing was recorded yet."""
    if not total or not with_readings:
        return None
    return on_track == total


@dataclass
class Flag:
    lever: str  # clarity, skills, support, performance
    text: str
    url: str = ""


@dataclass
class ManagerImpact:
    manager: Person
    director: Person | None
    role_id: int | None
    role_name: str
    clarity: Clarity
    skills: Skills
    support: Support
    performance: Performance
    flags: list[Flag] = field(default_factory=list)


# -- who, and loading -----------------------------------------------------------------------------------


IMPACT_PERSON_FIELDS = (
    "first_name",
    "last_name",
    "manager_id",
    "team_id",
    "manager__first_name",
    "manager__last_name",
    "team__name",
)


def impact_managers_for(*, user: User) -> QuerySet[Person]:
    """The managers whose impact `user` may see (`coaching.policy.impact_people_for`), each with their current
    role (`current_role_id`, `current_role_name`), by director (their manager), then name. One query. The page's
    filters narrow the list in Python (`narrowed`), from the same rows that give their options."""
    return (
        _with_role(policy.impact_people_for(user))
        .order_by("manager__last_name", "manager__first_name", "manager_id", "last_name", "first_name", "pk")
        # what the page shows of hundreds of managers: names, director, team (not each row's timestamps)
        .only(*IMPACT_PERSON_FIELDS)
    )


def _with_role(people: QuerySet[Person]) -> QuerySet[Person]:
    return (
        # One join: the current assignment (a person without any is left out, not matched by the NULL).
        people.filter(role_assignments__ended_on__isnull=True, role_assignments__started_on__isnull=False)
        .annotate(current_role_id=F("role_assignments__role_id"), current_role_name=F("role_assignments__role__name"))
        .select_related("manager", "team")
    )


def impact_card_for(*, user: User) -> QuerySet[Person]:
    """The managers whose card `user` may open (their own, and a leader's managers), with their role."""
    return _with_role(policy.impact_card_people_for(user))


def impact_filter_options(managers: Iterable[Person]) -> dict[str, list[tuple[int, str]]]:
    """The directors, roles and teams of `managers` (everyone `impact_managers_for` lists for the viewer), for the
    page's filters."""
    directors, roles, teams = {}, {}, {}
    for manager in managers:
        if manager.manager_id is not None:
            directors[manager.manager_id] = manager.manager.full_name
        roles[manager.current_role_id] = manager.current_role_name
        if manager.team_id is not None:
            teams[manager.team_id] = manager.team.name
    return {
        key: sorted(options.items(), key=lambda option: option[1])
        for key, options in (("directors", directors), ("roles", roles), ("teams", teams))
    }


def narrowed(
    managers: Iterable[Person], *, director: int | None = None, role: int | None = None, team: int | None = None
) -> list[Person]:
    """Those of `managers` (as `impact_managers_for` lists them) under the page's filters, in their order: the same
    rows its `director`, `role` and `team` select, without reading them again."""
    return [
        manager
        for manager in managers
        if (director is None or manager.manager_id == director)
        and (role is None or manager.current_role_id == role)
        and (team is None or manager.team_id == team)
    ]


def conversations_since(today: datetime.date) -> tuple[Exists, Exists]:
    """Whether the person (`OuterRef("pk")`) had a 1:1 or development conversation in the last ONE_ON_ONE_DAYS:
    a 1:1 session on a plan of theirs, or a 1:1 task of theirs done."""
    since = today - datetime.timedelta(days=ONE_ON_ONE_DAYS)
    session = CoachingSession.objects.filter(plan__coachee=OuterRef("pk"), held_on__gte=since)
    one_on_one = CoachingTask.objects.filter(
        plan__coachee=OuterRef("pk"),
        kind=ActivityKind.ONE_ON_ONE,
        state=CoachingTask.State.DONE,
        completed_at__date__gte=since,
    )
    return Exists(session), Exists(one_on_one)


def published_versions(role_ids: Iterable[int]) -> dict[int, CharterVersion]:
    """Each role's published charter version, with its metrics and support items: three queries."""
    # Without the rows' own timestamps, which nothing here shows: Django loads each in Python (Django ticket
    # #36960), 920 of them, half this read's time.
    published = CharterVersion.objects.filter(role_id__any=list(role_ids), status=CharterVersion.Status.PUBLISHED)
    unstamped = ("created_at", "updated_at")
    return {
        version.role_id: version
        for version in published.defer(*unstamped).prefetch_related(
            Prefetch("metrics", SuccessMetric.objects.defer(*unstamped)),
            Prefetch("support_items", SupportItem.objects.defer(*unstamped)),
        )
    }


class ManagerReads:
    """Every read `manager_impacts` (and `overview.manager_figures`) needs for a list of managers: a fixed number
    of queries in all."""

    def __init__(self, managers: Sequence[Person], today: datetime.date, results: PulseResults | None):
        self.managers, self.today, self.results = managers, today, results
        self.ids = [manager.pk for manager in managers]
        self.role_ids = {manager.current_role_id for manager in managers}
        self.people = Person.objects.filter(pk__any=self.ids)

    def versions(self) -> dict[int, CharterVersion]:
        return published_versions(self.role_ids)

    def acknowledgements(self) -> dict[int, list[Acknowledgement]]:
        by_person: dict[int, list] = defaultdict(list)
        rows = Acknowledgement.objects.filter(person_id__any=self.ids, version__role_id__in=self.role_ids)
        for acknowledgement in rows.select_related("version").order_by("-requested_at", "-pk"):
            by_person[acknowledgement.person_id].append(acknowledgement)
        return by_person

    def gap_indexes(self, as_of: datetime.date | None = None) -> dict[int, tuple[Decimal | None, int, int]]:
        """Per manager: Σ weight × gap ÷ Σ weight over the assessed required competencies (levels), how many
        are assessed, how many required."""
        return {
            holder: ((Decimal(total) / 100 / weights).quantize(TWO_PLACES) if weights else None, assessed, required)
            for holder, total, weights, assessed, required in gap_index_sums(self.people, as_of)
        }

    def plans(self) -> dict[int, CoachingPlan]:
        active = with_progress(CoachingPlan.objects.filter(coachee_id__any=self.ids, state=CoachingPlan.State.ACTIVE))
        return {plan.coachee_id: plan for plan in active}

    def teams(self) -> dict[int, list[Person]]:
        """Each manager's current direct reports, with whether they had a 1:1 or development conversation in
        the last ONE_ON_ONE_DAYS (`conversations_since`)."""
        session, one_on_one = conversations_since(self.today)
        reports = (
            Person.objects.current()
            .filter(manager_id__any=self.ids)
            .only("pk", "manager_id", "first_name", "last_name")
            .annotate(had_session=session, had_one_on_one=one_on_one)
            .order_by("last_name", "first_name", "pk")
        )
        by_manager: dict[int, list] = defaultdict(list)
        for person in reports:
            by_manager[person.manager_id].append(person)
        return by_manager

    def open_requests(self) -> dict[int, list[SupportRequest]]:
        by_raiser: dict[int, list] = defaultdict(list)
        rows = SupportRequest.objects.filter(raised_by_id__any=self.ids, state__in=OPEN_REQUEST_STATES)
        for request in rows.select_related("owner", "function").order_by("created_at", "pk"):
            by_raiser[request.raised_by_id].append(request)
        return by_raiser

    def closed_requests(self) -> dict[int, list[SupportRequest]]:
        """Each manager's requests declined or resolved in the last CLOSED_REQUEST_DAYS, newest first (a card's)."""
        since = timezone.now() - datetime.timedelta(days=CLOSED_REQUEST_DAYS)
        rows = SupportRequest.objects.filter(raised_by_id__any=self.ids, resolved_at__gte=since).exclude(
            state__in=OPEN_REQUEST_STATES
        )
        by_raiser: dict[int, list] = defaultdict(list)
        for request in rows.select_related("owner", "function").order_by("-resolved_at", "-pk"):
            by_raiser[request.raised_by_id].append(request)
        return by_raiser

    def readings(self, versions: dict[int, CharterVersion], history: bool) -> dict[tuple[int, object], list]:
        """Per (manager, metric key) the readings oldest first: all of them with `history` (a card's trend
        lines), else the latest two (status and trend), picked in the database."""
        keys = {metric.key for version in versions.values() for metric in version.metrics.all()}
        rows = MetricReading.objects.filter(person_id__any=self.ids, metric_key__in=keys).only(
            "person_id", "metric_key", "metric_id", "period", "value"
        )
        if not history:
            latest_first = Window(
                RowNumber(), partition_by=[F("person_id"), F("metric_key")], order_by=F("period").desc()
            )
            rows = rows.annotate(recent=latest_first).filter(recent__lte=2)
        by_key: dict[tuple, list] = defaultdict(list)
        for reading in rows.order_by("period", "pk"):
            by_key[(reading.person_id, reading.metric_key)].append(reading)
        return by_key

    def pulse_series(self) -> dict[int, PulseSeries]:
        series = PulseSeries.objects.filter(subject_id__any=self.ids, kind=PulseSeries.Kind.TEAM)
        return {entry.subject_id: entry for entry in series}


def manager_impacts(
    managers: Iterable[Person],
    *,
    today: datetime.date | None = None,
    results: PulseResults | None = None,
    history: bool = False,
    versions: dict[int, CharterVersion] | None = None,
) -> list[ManagerImpact]:
    """The four columns (and flags) for each of `managers` (from `impact_managers_for`), in their order; with
    `history`, every reading of every metric (a card draws their trend) and the support requests closed lately,
    else the latest two readings; `versions`, when the caller has read them (`published_versions`) for these
    managers' roles or more.
    A fixed number of queries whatever the number of managers: about fifteen, plus the pulse window's."""
    from coaching.impact.flags import flags_for

    managers = list(managers)
    if not managers:
        return []
    today = today or timezone.localdate()
    results = results or PulseResults(today=today)
    load = ManagerReads(managers, today, results)
    versions = load.versions() if versions is None else versions
    context = {
        "versions": versions,
        "acknowledgements": load.acknowledgements(),
        "gaps": load.gap_indexes(),
        "gaps_before": load.gap_indexes(today - datetime.timedelta(days=GAP_COMPARED_DAYS)),
        "plans": load.plans(),
        "teams": load.teams(),
        "ratings": latest_ratings(load.ids, today=today),
        "requests": load.open_requests(),
        "readings": load.readings(versions, history),
        "closed": load.closed_requests() if history else {},
        "series": load.pulse_series(),
    }
    impacts = [_impact(manager, context, results) for manager in managers]
    for impact in impacts:
        impact.flags = flags_for(impact)
    return impacts


def _impact(manager: Person, context: dict, results: PulseResults) -> ManagerImpact:
    version = context["versions"].get(manager.current_role_id)
    series = context["series"].get(manager.pk)
    window = results.window(series) if series else None
    levers = window.levers if window is not None and window.status != NO_DATA else None

    def band(lever: str) -> Band:
        return band_of(window, lever, series.pk if series else None, levers)

    ratings = context["ratings"].get(manager.pk, {})
    return ManagerImpact(
        manager=manager,
        director=manager.manager,
        role_id=manager.current_role_id,
        role_name=manager.current_role_name,
        clarity=_clarity(version, context["acknowledgements"].get(manager.pk, []), band(Lever.CLARITY)),
        skills=_skills(manager, context),
        support=Support(
            _rated_support(version, ratings),
            context["requests"].get(manager.pk, []),
            band(Lever.SUPPORT),
            context["closed"].get(manager.pk, []),
        ),
        performance=_performance(manager, version, context["readings"], band(Lever.ENGAGEMENT)),
    )


def _clarity(version: CharterVersion | None, acknowledgements: list[Acknowledgement], pulse: Band) -> Clarity:
    clarity = Clarity(version=version, pulse=pulse)
    current = next((ack for ack in acknowledgements if version and ack.version_id == version.pk), None)
    if current is not None:
        clarity.acknowledged_at = current.acknowledged_at
        clarity.pending_since = current.requested_at if current.is_pending else None
    acknowledged = [ack for ack in acknowledgements if ack.acknowledged_at]
    if acknowledged:
        latest = max(acknowledged, key=lambda ack: ack.acknowledged_at)
        clarity.ratings = (latest.clarity_focus, latest.clarity_deprioritize, latest.clarity_success)
        clarity.rated_version = latest.version.number
    unanswered = [ack for ack in acknowledged if ack.question and not ack.answer]
    clarity.unanswered = len(unanswered)
    clarity.oldest_unanswered_at = min((ack.acknowledged_at for ack in unanswered), default=None)
    return clarity


def _skills(manager: Person, context: dict) -> Skills:
    index, assessed, required = context["gaps"].get(manager.pk, (None, 0, 0))
    before = context["gaps_before"].get(manager.pk, (None, 0, 0))[0]
    plan = context["plans"].get(manager.pk)
    team = context["teams"].get(manager.pk, [])
    return Skills(
        gap_index=index,
        gap_index_before=before,
        assessed=assessed,
        required=required,
        plan=plan,
        progress=progress_percent(plan) if plan else None,
        overdue_tasks=plan.tasks_overdue if plan else 0,
        team=len(team),
        team_without_conversation=[person for person in team if not (person.had_session or person.had_one_on_one)],
    )


def _rated_support(version: CharterVersion | None, ratings: dict) -> list[RatedItem]:
    if version is None:
        return []
    return rated_items(version.support_items.all(), {key: [rating] for key, rating in ratings.items()})


def _performance(manager: Person, version: CharterVersion | None, readings: dict, engagement: Band) -> Performance:
    performance = Performance(engagement=engagement)
    if version is None:
        return performance
    for metric in version.metrics.all():
        history = readings.get((manager.pk, metric.key), [])
        latest = history[-1].value if history else None
        performance.statuses.append(MetricStatus(metric, history, metric_status(metric, latest)))
        if len(history) > 1:
            performance.previous[metric.pk] = metric_status(metric, history[-2].value)
    return performance
