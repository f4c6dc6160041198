"""Roll-up rows of the Manager impact page: per director (the managers' own manager) and for the whole view.
Counts and means of the managers' figures (`coaching.impact.overview.ManagerFigures`, one small row each), each
lever on its own (no composite), and the team pulse bands of the director's roll-up as
`coaching.pulse.selectors.PulseResults` releases them."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from statistics import mean

from django.utils import timezone

from coaching.impact.bands import Band, band_of
from coaching.impact.overview import ManagerFigures
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
    figures: list[ManagerFigures] = field(default_factory=list)
    pulse: dict[str, Band] = field(default_factory=dict)
    attention_query: str = ""  # the page's query string for those of these managers who need attention

    @property
    def managers(self) -> int:
        return len(self.figures)

    @property
    def acknowledged(self) -> int:
        return sum(1 for entry in self.figures if entry.acknowledged)

    @property
    def with_charter(self) -> int:
        return sum(1 for entry in self.figures if entry.has_charter)

    @property
    def clarity_mean(self) -> float | None:
        return _mean(entry.clarity_mean for entry in self.figures)

    @property
    def gap_index_mean(self) -> float | None:
        return _mean(entry.gap_index for entry in self.figures)

    @property
    def with_plan(self) -> int:
        return sum(1 for entry in self.figures if entry.has_plan)

    @property
    def team(self) -> int:
        return sum(entry.team for entry in self.figures)

    @property
    def team_with_conversation(self) -> int:
        return sum(entry.team_with_conversation for entry in self.figures)

    @property
    def support_mean(self) -> float | None:
        return _mean(entry.support_mean for entry in self.figures)

    @property
    def open_requests(self) -> int:
        return sum(entry.open_requests for entry in self.figures)

    @property
    def oldest_open_days(self) -> int | None:
        oldest = [entry.oldest_open_at for entry in self.figures if entry.oldest_open_at]
        return (timezone.now() - min(oldest)).days if oldest else None

    @property
    def metrics_on_track(self) -> int:
        return sum(entry.metrics_on_track for entry in self.figures)

    @property
    def metrics_total(self) -> int:
        return sum(entry.metrics_total for entry in self.figures)

    @property
    def measured(self) -> int:
        return sum(1 for entry in self.figures if entry.meets is not None)

    @property
    def meeting(self) -> int:
        return sum(1 for entry in self.figures if entry.meets)

    @property
    def meeting_share(self) -> float | None:
        return self.meeting / self.measured if self.measured else None


def _bands(results: PulseResults, leader: Person | None) -> dict[str, Band]:
    if leader is None:
        return {}
    result = results.rollup(leader)
    levers = result.levers
    return {lever: band_of(result, lever, levers=levers) for lever in (Lever.CLARITY, Lever.SUPPORT, Lever.ENGAGEMENT)}


def rollups_for(
    figures: list[ManagerFigures], *, results: PulseResults, viewer: Person | None, title: str
) -> tuple[dict[int | None, RollUp], RollUp]:
    """One roll-up per director, in the order the figures come, and one over them all (with `viewer`'s
    roll-up bands: the person whose sub-tree they all are, or None for no bands)."""
    by_director: dict[int | None, RollUp] = {}
    for entry in figures:
        director = entry.director
        key = director.pk if director else None
        if key not in by_director:
            name = str(director) if director else ""
            by_director[key] = RollUp(name, director, pulse=_bands(results, director))
        by_director[key].figures.append(entry)
    return by_director, RollUp(title, viewer, list(figures), _bands(results, viewer))
