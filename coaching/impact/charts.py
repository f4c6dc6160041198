"""The Manager impact charts, drawn on the server as inline SVG (no chart library, nothing from a CDN):

- one scatter per lever, each manager a dot: the lever's figure across, the share of their metrics on track
  up; a leader sees whether the managers with clearer roles, smaller gaps or better support lead the teams
  that perform;
- the share of managers meeting their metrics beside the 55% of chief sales officers who say their frontline
  managers consistently meet expectations.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from coaching.impact.overview import ManagerFigures

SURVEY_SHARE = 0.55  # CSOs who say their frontline managers consistently meet expectations
WIDTH, HEIGHT = 300, 220
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 40


@dataclass(frozen=True)
class Axis:
    label: str
    low: float
    high: float
    better: str  # "higher" or "lower": which end of the axis is the good one


CLARITY_AXIS = Axis(_("Clarity rating (mean of three, 1–5)"), 1, 5, "higher")
SKILLS_AXIS = Axis(_("Weighted gap index (levels, lower is better)"), 0, 3, "lower")
SUPPORT_AXIS = Axis(_("Support rating (mean, 1–5)"), 1, 5, "higher")


def _points(figures: Sequence[ManagerFigures], figure) -> list[tuple[float, float, str]]:
    points = []
    for entry in figures:
        value = figure(entry)
        if value is None or not entry.metrics_total or not entry.metrics_with_readings:
            continue
        points.append((float(value), entry.metrics_on_track / entry.metrics_total, entry.manager.full_name))
    return points


def scatter_svg(points: Sequence[tuple[float, float, str]], axis: Axis, *, title: str) -> str:
    """Dots of (lever figure, share of metrics on track); an empty frame says "no data" when nobody has both."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(value: float) -> float:
        clamped = min(max(value, axis.low), axis.high)
        return round(LEFT + (clamped - axis.low) / (axis.high - axis.low) * plot_w, 1)

    def y(share: float) -> float:
        return round(TOP + (1 - share) * plot_h, 1)

    grid = format_html_join(
        "",
        '<line x1="{l}" x2="{r}" y1="{y}" y2="{y}" stroke="#e9ecef"/>'
        '<text x="{t}" y="{ty}" font-size="10" text-anchor="end" fill="#6c757d">{label}%</text>',
        (
            {"l": LEFT, "r": WIDTH - RIGHT, "y": y(share), "t": LEFT - 4, "ty": y(share) + 3, "label": int(share * 100)}
            for share in (0, 0.5, 1)
        ),
    )
    ticks = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="10" text-anchor="middle" fill="#6c757d">{}</text>',
        ((x(value), HEIGHT - BOTTOM + 14, f"{value:g}") for value in (axis.low, (axis.low + axis.high) / 2, axis.high)),
    )
    # The dots' colours are set once on their group (inherited), not on each of the 500 dots: half the bytes.
    # Joined as plain text, each name escaped, rather than one format_html per dot (a third of the charts' time).
    dots = mark_safe(  # noqa: S308 (the numbers are ours, the names escaped)
        "".join(
            f'<circle cx="{x(value)}" cy="{y(share)}" r="5"><title>'
            f"{escape(f'{name}: {value:.2f}, {share:.0%} of metrics on track')}</title></circle>"
            for value, share, name in points
        )
    )
    empty = (
        ""
        if points
        else format_html(
            '<text x="{}" y="{}" font-size="12" text-anchor="middle" fill="#6c757d">{}</text>',
            LEFT + plot_w / 2,
            TOP + plot_h / 2,
            _("no data yet"),
        )
    )
    return format_html(
        '<svg class="impact-chart" width="100%" viewBox="0 0 {w} {h}" role="img" aria-label="{aria}">'
        '<title>{title}</title>{grid}{ticks}<g fill="#0d6efd" fill-opacity="0.6" stroke="#0a58ca">{dots}</g>{empty}'
        '<text x="{cx}" y="{by}" font-size="11" text-anchor="middle" fill="#212529">{xlabel}</text>'
        '<text x="10" y="{cy}" font-size="11" text-anchor="middle" fill="#212529" transform="rotate(-90 10 {cy})">'
        "{ylabel}</text></svg>",
        w=WIDTH,
        h=HEIGHT,
        aria=f"{title}: {len(points)} managers",
        title=title,
        grid=grid,
        ticks=ticks,
        dots=dots,
        empty=empty,
        cx=LEFT + plot_w / 2,
        by=HEIGHT - 8,
        xlabel=axis.label,
        cy=TOP + plot_h / 2,
        ylabel=_("Metrics on track"),
    )


def lever_charts(figures: Sequence[ManagerFigures]) -> list[tuple[str, str, int]]:
    """(title, svg, managers plotted) for clarity, skills and support against performance."""
    charts = []
    for title, axis, figure in (
        (_("Clarity and performance"), CLARITY_AXIS, lambda entry: entry.clarity_mean),
        (_("Skills and performance"), SKILLS_AXIS, lambda entry: entry.gap_index),
        (_("Support and performance"), SUPPORT_AXIS, lambda entry: entry.support_mean),
    ):
        points = _points(figures, figure)
        charts.append((title, scatter_svg(points, axis, title=title), len(points)))
    return charts


def meeting_svg(share: float | None, *, measured: int, meeting: int) -> str:
    """Two bars: the share of these managers meeting their metrics, and the survey's 55%."""
    width, bar_left, bar_w = 320, 120, 160
    rows = [
        (_("Your managers"), share, "#0d6efd", f"{share:.0%} ({meeting} of {measured})" if share is not None else "—"),
        (_("Survey (CSOs)"), SURVEY_SHARE, "#adb5bd", f"{SURVEY_SHARE:.0%}"),
    ]
    bars = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="12" text-anchor="end" fill="#212529">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="16" rx="2" fill="#e9ecef"/>'
        '<rect x="{}" y="{}" width="{}" height="16" rx="2" fill="{}"/>'
        '<text x="{}" y="{}" font-size="11" fill="#212529">{}</text>',
        (
            (
                bar_left - 8,
                20 + index * 30,
                label,
                bar_left,
                8 + index * 30,
                bar_w,
                bar_left,
                8 + index * 30,
                round((value or 0) * bar_w, 1),
                colour,
                bar_left + bar_w + 6,
                20 + index * 30,
                text,
            )
            for index, (label, value, colour, text) in enumerate(rows)
        ),
    )
    return format_html(
        '<svg class="impact-meeting" width="100%" viewBox="0 0 {w} 66" role="img" aria-label="{aria}">{bars}</svg>',
        w=width + 80,
        aria=f"Managers meeting their metrics: {rows[0][3]}; survey: 55%",
        bars=bars,
    )
