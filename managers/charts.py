"""Small charts drawn on the server as inline SVG: no chart library, nothing loaded from a CDN."""

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import format_html, format_html_join

WIDTH, HEIGHT, PADDING = 160, 44, 4


def sparkline_svg(values: Sequence[Decimal], target: Decimal, *, label: str) -> str:
    """A trend line of `values` (oldest first) with a dashed line at `target`."""
    if not values:
        return ""
    numbers = [float(value) for value in values]
    low, high = min([*numbers, float(target)]), max([*numbers, float(target)])
    span = (high - low) or 1.0

    def y(number: float) -> float:
        return round(HEIGHT - PADDING - (number - low) / span * (HEIGHT - 2 * PADDING), 1)

    step = (WIDTH - 2 * PADDING) / max(len(numbers) - 1, 1)
    points = [(round(PADDING + index * step, 1), y(number)) for index, number in enumerate(numbers)]
    target_y = y(float(target))
    return format_html(
        '<svg class="sparkline" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-label="{label}">'
        '<line x1="0" x2="{w}" y1="{ty}" y2="{ty}" stroke="#6c757d" stroke-dasharray="3 3" stroke-width="1"/>'
        '<polyline fill="none" stroke="#0d6efd" stroke-width="2" points="{points}"/>'
        "{dots}</svg>",
        w=WIDTH,
        h=HEIGHT,
        label=label,
        ty=target_y,
        points=" ".join(f"{x},{y_}" for x, y_ in points),
        dots=format_html_join("", '<circle cx="{}" cy="{}" r="2.5" fill="#0d6efd"/>', points),
    )


# The candidate chart: each competency's name on its own line above its bar (a long name is never cut by a
# margin), and room on the right for the value of a bar that reaches the top of the scale.
# Drawn 440 wide and shown at most 600 px wide: readable on a 390 px phone as on a laptop.
PROFILE_WIDTH, PROFILE_ROW, PROFILE_LEFT, PROFILE_RIGHT, PROFILE_SCALE = 440, 38, 4, 40, 4
PROFILE_NAME_CHARS = 56


def _short(name: str) -> str:
    return name if len(name) <= PROFILE_NAME_CHARS else name[: PROFILE_NAME_CHARS - 1] + "…"


def competency_profile_svg(scores: Sequence, *, label: str) -> str:
    """Horizontal bars of a candidate's mean rating per competency on the 1-4 scale, each with a tick at
    the required level (for required competencies) and a light bar spanning the lowest to highest rating.
    The name sits above each bar; the mean is written right of the bar, inside the drawing at 4."""
    if not scores:
        return ""
    plot = PROFILE_WIDTH - PROFILE_LEFT - PROFILE_RIGHT

    def x(level) -> float:
        return round(PROFILE_LEFT + float(level) / PROFILE_SCALE * plot, 1)

    parts = []
    for index, score in enumerate(scores):
        top = 4 + index * PROFILE_ROW
        bar = top + 18
        name = str(score.competency.name)
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" fill="#212529"><title>{}</title>{}</text>',
                PROFILE_LEFT,
                top + 12,
                name,
                _short(name),
            )
        )
        if score.count:
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="14" rx="2" fill="#cfe2ff"/>'
                    '<rect x="{}" y="{}" width="{}" height="6" rx="1" fill="#0d6efd"/>'
                    '<text x="{}" y="{}" font-size="11" fill="#0d6efd">{}</text>',
                    x(score.lowest),
                    bar,
                    round(x(score.highest) - x(score.lowest), 1) or 2,
                    PROFILE_LEFT,
                    bar + 4,
                    round(x(score.mean) - PROFILE_LEFT, 1),
                    max(x(score.highest), x(score.mean)) + 4,
                    bar + 11,
                    score.mean,
                )
            )
        if score.required_level:
            parts.append(
                format_html(
                    '<line x1="{x}" x2="{x}" y1="{}" y2="{}" stroke="#dc3545" stroke-width="2"/>',
                    bar - 2,
                    bar + 16,
                    x=x(score.required_level),
                )
            )
    height = 4 + len(scores) * PROFILE_ROW + 18
    axis = format_html_join(
        "",
        '<line x1="{0}" x2="{0}" y1="18" y2="{1}" stroke="#dee2e6"/>'
        '<text x="{0}" y="{2}" font-size="11" text-anchor="middle" fill="#6c757d">{3}</text>',
        ((x(level), height - 16, height - 4, level) for level in range(1, PROFILE_SCALE + 1)),
    )
    return format_html(
        '<svg class="profile-chart" width="100%" style="max-width: 600px" viewBox="0 0 {w} {h}" role="img" '
        'aria-label="{label}">'
        "{axis}{bars}</svg>",
        w=PROFILE_WIDTH,
        h=height,
        label=label,
        axis=axis,
        bars=format_html_join("", "{}", ((part,) for part in parts)),
    )
