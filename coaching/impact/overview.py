"""What the Manager impact page needs of every manager in view for its roll-ups and charts, without building
their cards: one small row of figures per manager (`ManagerFigures`), each column counted or averaged by the
database or read as plain values, never as model instances. The page builds full cards (`manager_impacts`)
only for the 25 it shows, so its work grows with the managers in view by a few hundred small rows, not by
every manager's card, readings and team.

The figures are the cards' own: the same published charter, the same latest acknowledgement, the gap rule's
rows (`current_requirements`), the same 1:1 rule (`conversations_since`), the same latest support ratings
(`latest_scores`), the same metric status (`metric_status`, on the latest reading) and the same rule for
meeting them (`meets_metrics`); `tests/coaching/impact/test_impact_overview.py` checks them against the cards.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Min, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from coaching.impact.selectors import ManagerReads, conversations_since, meets_metrics
from coaching.models import CoachingPlan
from enablement.models import Person
from managers.models import OPEN_REQUEST_STATES, Acknowledgement, CharterVersion, MetricReading, SupportRequest
from managers.selectors.charters import ON_TRACK, metric_status
from managers.selectors.support import item_key, latest_scores


@dataclass
class ManagerFigures:
    """One manager's figures as a roll-up and a chart use them (a card's `ManagerImpact` has the evidence)."""

    manager: Person
    has_charter: bool = False
    acknowledged: bool = False
    clarity_mean: float | None = None
    gap_index: Decimal | None = None
    has_plan: bool = False
    team: int = 0
    team_with_conversation: int = 0
    support_mean: float | None = None
    open_requests: int = 0
    oldest_open_at: datetime.datetime | None = None
    metrics_total: int = 0
    metrics_with_readings: int = 0
    metrics_on_track: int = 0

    @property
    def director(self) -> Person | None:
        return self.manager.manager

    @property
    def meets(self) -> bool | None:
        return meets_metrics(
            total=self.metrics_total, with_readings=self.metrics_with_readings, on_track=self.metrics_on_track
        )


def mean_of_ints(values: Sequence[int]) -> float:
    """`statistics.mean` of whole numbers (ratings, scores) at a hundredth of its cost: their sum is exact and one
    division rounds it correctly, so the result is the same float. A thousand means a page at 500 managers."""
    return sum(values) / len(values)


class _Figures:
    """The reads, one query each, over the managers' ids."""

    def __init__(self, managers: Sequence[Person], today: datetime.date):
        self.load = ManagerReads(managers, today, results=None)
        self.ids, self.role_ids, self.today = self.load.ids, self.load.role_ids, today

    def acknowledged(self, versions: dict[int, CharterVersion]) -> set[int]:
        """Who acknowledged the current version of their own role's charter (not of another role's, which a
        manager who changed role may have acknowledged before)."""
        current = Acknowledgement.objects.filter(
            person_id__any=self.ids,
            version__in=[version.pk for version in versions.values()],
            acknowledged_at__isnull=False,
        )
        own_version = {
            manager.pk: versions[manager.current_role_id].pk
            for manager in self.load.managers
            if manager.current_role_id in versions
        }
        return {
            person_id
            for person_id, version_id in current.values_list("person_id", "version_id")
            if own_version.get(person_id) == version_id
        }

    def clarity_means(self) -> dict[int, float]:
        """The mean of the three clarity ratings of each manager's latest acknowledgement."""
        latest_first = Window(
            RowNumber(), partition_by=[F("person_id")], order_by=[F("acknowledged_at").desc(), F("requested_at").desc()]
        )
        rows = (
            Acknowledgement.objects.filter(
                person_id__any=self.ids, version__role_id__in=self.role_ids, acknowledged_at__isnull=False
            )
            .annotate(latest=latest_first)
            .filter(latest=1)
            .values_list("person_id", "clarity_focus", "clarity_deprioritize", "clarity_success")
        )
        return {person_id: mean_of_ints(ratings) for person_id, *ratings in rows}

    def planned(self) -> set[int]:
        active = CoachingPlan.objects.filter(coachee_id__any=self.ids, state=CoachingPlan.State.ACTIVE)
        return set(active.values_list("coachee_id", flat=True))

    def teams(self) -> dict[int, tuple[int, int]]:
        """Per manager: their current direct reports, and how many of them had a 1:1 in ONE_ON_ONE_DAYS."""
        session, one_on_one = conversations_since(self.today)
        rows = (
            Person.objects.current()
            .filter(manager_id__any=self.ids)
            .values("manager_id")
            .annotate(team=Count("pk"), covered=Count("pk", filter=Q(session) | Q(one_on_one)))
            .values_list("manager_id", "team", "covered")
            .order_by()
        )
        return {manager_id: (team, covered) for manager_id, team, covered in rows}

    def open_requests(self) -> dict[int, tuple[int, datetime.datetime]]:
        rows = (
            SupportRequest.objects.filter(raised_by_id__any=self.ids, state__in=OPEN_REQUEST_STATES)
            .values("raised_by_id")
            .annotate(count=Count("pk"), oldest=Min("created_at"))
            .values_list("raised_by_id", "count", "oldest")
            .order_by()
        )
        return {raiser: (count, oldest) for raiser, count, oldest in rows}

    def latest_values(self, versions: dict[int, CharterVersion]) -> dict[tuple[int, object], Decimal]:
        """Per (manager, metric key): the value of the latest reading."""
        keys = {metric.key for version in versions.values() for metric in version.metrics.all()}
        latest_first = Window(RowNumber(), partition_by=[F("person_id"), F("metric_key")], order_by=F("period").desc())
        rows = (
            MetricReading.objects.filter(person_id__any=self.ids, metric_key__in=keys)
            .annotate(recent=latest_first)
            .filter(recent=1)
            .values_list("person_id", "metric_key", "value")
        )
        return {(person_id, key): value for person_id, key, value in rows}


def manager_figures(
    managers: Sequence[Person],
    *,
    today: datetime.date | None = None,
    versions: dict[int, CharterVersion] | None = None,
) -> list[ManagerFigures]:
    """The figures of each of `managers` (from `impact_managers_for`), in their order: eleven queries (eight
    when the caller passes the published `versions` it has read), each an aggregate or a few values per
    manager, whatever the number of managers."""
    managers = list(managers)
    if not managers:
        return []
    reads = _Figures(managers, today or timezone.localdate())
    versions = reads.load.versions() if versions is None else versions
    loaded = {
        "acknowledged": reads.acknowledged(versions),
        "clarity": reads.clarity_means(),
        "gaps": reads.load.gap_indexes(),
        "planned": reads.planned(),
        "teams": reads.teams(),
        "scores": latest_scores(reads.ids, today=reads.today),
        "requests": reads.open_requests(),
        "values": reads.latest_values(versions),
    }
    charters = {role_id: _Charter(version) for role_id, version in versions.items()}
    return [_figures(manager, charters.get(manager.current_role_id), loaded) for manager in managers]


class _Charter:
    """A published version's support item keys and metrics, listed once for every manager holding its role."""

    def __init__(self, version: CharterVersion):
        self.item_keys = [(version.role_id, *item_key(item.kind, item.name)) for item in version.support_items.all()]
        self.metrics = list(version.metrics.all())


def _figures(manager: Person, charter: _Charter | None, loaded: dict) -> ManagerFigures:
    team, covered = loaded["teams"].get(manager.pk, (0, 0))
    count, oldest = loaded["requests"].get(manager.pk, (0, None))
    figures = ManagerFigures(
        manager=manager,
        has_charter=charter is not None,
        acknowledged=manager.pk in loaded["acknowledged"],
        clarity_mean=loaded["clarity"].get(manager.pk),
        gap_index=loaded["gaps"].get(manager.pk, (None,))[0],
        has_plan=manager.pk in loaded["planned"],
        team=team,
        team_with_conversation=covered,
        open_requests=count,
        oldest_open_at=oldest,
    )
    if charter is None:
        return figures
    scores = loaded["scores"].get(manager.pk, {})
    rated = [score for score in map(scores.get, charter.item_keys) if score is not None]
    figures.support_mean = mean_of_ints(rated) if rated else None
    for metric in charter.metrics:
        value = loaded["values"].get((manager.pk, metric.key))
        figures.metrics_total += 1
        figures.metrics_with_readings += value is not None
        figures.metrics_on_track += metric_status(metric, value) == ON_TRACK
    return figures


def figures_of(impacts) -> list[ManagerFigures]:
    """The same figures read off cards already built (`ManagerImpact`): the page under "needs attention",
    which builds every card in view to know who is flagged, rolls those up without reading them again."""
    return [
        ManagerFigures(
            manager=impact.manager,
            has_charter=impact.clarity.version is not None,
            acknowledged=impact.clarity.acknowledged_at is not None,
            clarity_mean=impact.clarity.ratings_mean,
            gap_index=impact.skills.gap_index,
            has_plan=impact.skills.plan is not None,
            team=impact.skills.team,
            team_with_conversation=impact.skills.team_with_conversation,
            support_mean=impact.support.mean,
            open_requests=len(impact.support.open_requests),
            oldest_open_at=impact.support.oldest_open.created_at if impact.support.oldest_open else None,
            metrics_total=impact.performance.total,
            metrics_with_readings=impact.performance.with_readings,
            metrics_on_track=impact.performance.on_track,
        )
        for impact in impacts
    ]
