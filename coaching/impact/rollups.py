"""Roll-up rows of the Manager impact page: per director (the managers' own manager) and for the whole view.
Counts and means of the managers' figures, each lever on its own (no composite), and the team pulse bands of
the director's roll-up as `coaching.pulse.selectors.PulseResults` releases them."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from statistics import mean

from django.utils import timezone

from coaching.impact.selectors import Band, ManagerImpact, band_of
from coaching.models import Lever
from coaching.pulse.selectors import PulseResults
from enablement.models import Person


def _mean(values: Iterable) -> float | None:
    values = [float(value) for value in values if value is not None]
    return mean(values) if values else None


@dataclass
class RollUp:
    title: str
    director: Person | None
    impacts: list[ManagerImpact] = field(default_factory=list)
    pulse: dict[str, Band] = field(default_factory=dict)

    @property
    def managers(self) -> int:
        return len(self.impacts)

    @property
    def acknowledged(self) -> int:
        return sum(1 for impact in self.impacts if impact.clarity.acknowledged_at)

    @property
    def with_charter(self) -> int:
        return sum(1 for impact in self.impacts if impact.clarity.version)

    @property
    def clarity_mean(self) -> float | None:
        return _mean(impact.clarity.ratings_mean for impact in self.impacts)

    @property
    def gap_index_mean(self) -> float | None:
        return _mean(impact.skills.gap_index for impact in self.impacts)

    @property
    def with_plan(self) -> int:
        return sum(1 for impact in self.impacts if impact.skills.plan)

    @property
    def team(self) -> int:
        return sum(impact.skills.team for impact in self.impacts)

    @property
    def team_with_conversation(self) -> int:
        return sum(impact.skills.team_with_conversation for impact in self.impacts)

    @property
    def support_mean(self) -> float | None:
        return _mean(impact.support.mean for impact in self.impacts)

    @property
    def open_requests(self) -> int:
        return sum(len(impact.support.open_requests) for impact in self.impacts)

    @property
    def oldest_open_days(self) -> int | None:
        oldest = [impact.support.oldest_open.created_at for impact in self.impacts if impact.support.oldest_open]
        return (timezone.now() - min(oldest)).days if oldest else None

    @property
    def metrics_on_track(self) -> int:
        return sum(impact.performance.on_track for impact in self.impacts)

    @property
    def metrics_total(self) -> int:
        return sum(impact.performance.total for impact in self.impacts)

    @property
    def measured(self) -> int:
        return sum(1 for impact in self.impacts if impact.performance.meets is not None)

    @property
    def meeting(self) -> int:
        return sum(1 for impact in self.impacts if impact.performance.meets)

    @property
    def meeting_share(self) -> float | None:
        return self.meeting / self.measured if self.measured else None

    @property
    def flagged(self) -> int:
        return sum(1 for impact in self.impacts if impact.flags)


def _bands(results: PulseResults, leader: Person | None) -> dict[str, Band]:
    if leader is None:
        return {}
    result = results.rollup(leader)
    return {lever: band_of(result, lever) for lever in (Lever.CLARITY, Lever.SUPPORT, Lever.ENGAGEMENT)}


def rollups_for(
    impacts: list[ManagerImpact], *, results: PulseResults, viewer: Person | None, title: str
) -> tuple[dict[int | None, RollUp], RollUp]:
    """One roll-up per director, in the order the impacts come, and one over them all (with `viewer`'s
    roll-up bands: the person whose sub-tree they all are, or None for no bands)."""
    by_director: dict[int | None, RollUp] = {}
    for impact in impacts:
        director = impact.director
        key = director.pk if director else None
        if key not in by_director:
            name = str(director) if director else ""
            by_director[key] = RollUp(name, director, pulse=_bands(results, director))
        by_director[key].impacts.append(impact)
    return by_director, RollUp(title, viewer, list(impacts), _bands(results, viewer))
