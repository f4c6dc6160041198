"""What a pulse result is made of, as pages and the API show it: a question's tally over a group (a
histogram, never the answers), a figure (shown, or why not), a lever's figure and a group's result. Which
figures may be shown is decided in `coaching.pulse.decisions` and `coaching.pulse.selectors`."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from coaching.models import Lever, PulseQuestion

SHOWN, NOT_ENOUGH, NO_DATA, NOT_RELEASED = "shown", "not_enough", "no_data", "not_released"
STATUS_TEXT = {
    SHOWN: "",
    NOT_ENOUGH: _("Not enough responses to show yet."),
    NO_DATA: _("No data."),
    NOT_RELEASED: _("Results are released when the pulse closes."),
}


@dataclass
class Tally:
    """The answers to one question over one group, as a histogram (never the answers themselves)."""

    scale: str
    counts: Counter = field(default_factory=Counter)

    @property
    def n(self) -> int:
        return sum(self.counts.values())

    def __iadd__(self, other: "Tally") -> "Tally":
        self.counts.update(other.counts)
        return self

    @property
    def mean(self) -> float:
        return sum(value * count for value, count in self.counts.items()) / self.n

    @property
    def favourable(self) -> float:
        """Share of 4-5 (1-5 scale), of promoters 9-10 (eNPS), of "yes" (check-back)."""
        top = {PulseQuestion.Scale.AGREE: 4, PulseQuestion.Scale.ENPS: 9, PulseQuestion.Scale.CHECK_BACK: 3}
        return sum(count for value, count in self.counts.items() if value >= top[self.scale]) / self.n

    @property
    def enps(self) -> int | None:
        if self.scale != PulseQuestion.Scale.ENPS:
            return None
        detractors = sum(count for value, count in self.counts.items() if value <= 6)
        return round(100 * self.favourable - 100 * detractors / self.n)

    @property
    def distribution(self) -> list[tuple[int, float]]:
        low, high = (0, 10) if self.scale == PulseQuestion.Scale.ENPS else (1, 3 if self.scale == "check_back" else 5)
        return [(value, self.counts.get(value, 0) / self.n) for value in range(low, high + 1)]


@dataclass
class Figure:
    question: PulseQuestion
    status: str
    tally: Tally | None = None  # only when shown


@dataclass
class LeverFigure:
    lever: str
    label: str
    mean: float | None
    favourable: float | None


@dataclass
class Result:
    """One group's result as a viewer may see it: every question, shown or with why not."""

    title: str
    status: str
    figures: list[Figure]

    @property
    def levers(self) -> list[LeverFigure]:
        """Per lever: the mean of the shown 1-5 questions' means (and favourable shares). Only shown
        questions enter, so a lever figure never reveals a hidden question."""
        out = []
        for lever in Lever:
            tallies = [
                figure.tally
                for figure in self.figures
                if figure.tally is not None
                and figure.question.lever == lever
                and figure.question.scale == PulseQuestion.Scale.AGREE
            ]
            mean = sum(t.mean for t in tallies) / len(tallies) if tallies else None
            favourable = sum(t.favourable for t in tallies) / len(tallies) if tallies else None
            out.append(LeverFigure(lever.value, lever.label, mean, favourable))
        return out

    @property
    def status_text(self) -> str:
        return STATUS_TEXT[self.status]


def status_of(figures: Iterable[Figure], *, has_answers: bool) -> str:
    if any(figure.status == SHOWN for figure in figures):
        return SHOWN
    return NOT_ENOUGH if has_answers else NO_DATA
