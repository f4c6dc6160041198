"""A team pulse lever on a manager's card, as the pulse's confidentiality rules let anyone see it."""

from dataclasses import dataclass

from coaching.pulse.selectors import NO_DATA, Result

FAVOURABLE_BANDS = ((0.8, "80–100%"), (0.6, "60–79%"), (0.4, "40–59%"), (0.0, "under 40%"))


@dataclass(frozen=True)
class Band:
    """A team pulse lever as the confidentiality rules let anyone see it: `shown` with its favourable share
    as a band, `not_enough` (a pulse ran, too few answered), or `none` (no team pulse in the window)."""

    status: str
    favourable: float | None = None
    mean: float | None = None
    series_id: int | None = None

    @property
    def label(self) -> str | None:
        if self.favourable is None:
            return None
        return next(label for floor, label in FAVOURABLE_BANDS if self.favourable >= floor)


NO_BAND = Band("none")


def band_of(result: Result | None, lever: str, series_id: int | None = None, levers: list | None = None) -> Band:
    """The lever's band in `result` (`levers`: its `result.levers`, when the caller already has them)."""
    if result is None or result.status == NO_DATA:
        return Band("none", series_id=series_id)
    figure = next(figure for figure in (levers or result.levers) if figure.lever == lever)
    if figure.mean is None:
        return Band("not_enough", series_id=series_id)
    return Band("shown", figure.favourable, figure.mean, series_id)
