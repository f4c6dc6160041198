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


def competency_profile_svg(scores: Sequence, *, label: str) -> str:
    """Horizontal bars of a candidate's mean rating per competency on the 1-4 scale, each with a tick at
    the required level (for required competencies) and a light bar spanning the lowest to highest rating."""
    if not scores:
        return ""
    row, left, right, scale = 26, 190, 16, 4
    width = 560
    plot = width - left - right

    def x(level) -> float:
        return round(left + float(level) / scale * plot, 1)

    parts = []
    for index, score in enumerate(scores):
        top = 8 + index * row
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" text-anchor="end" fill="#212529">{}</text>',
                left - 8,
                top + 13,
                score.competency.name,
            )
        )
        if score.count:
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="14" rx="2" fill="#cfe2ff"/>'
                    '<rect x="{}" y="{}" width="{}" height="6" rx="1" fill="#0d6efd"/>'
                    '<text x="{}" y="{}" font-size="11" fill="#0d6efd">{}</text>',
                    x(score.lowest),
                    top + 2,
                    round(x(score.highest) - x(score.lowest), 1) or 2,
                    left,
                    top + 6,
                    round(x(score.mean) - left, 1),
                    x(score.mean) + 4,
                    top + 13,
                    score.mean,
                )
            )
        if score.required_level:
            parts.append(
                format_html(
                    '<line x1="{x}" x2="{x}" y1="{}" y2="{}" stroke="#dc3545" stroke-width="2"/>',
                    top,
                    top + 18,
                    x=x(score.required_level),
                )
            )
    height = 8 + len(scores) * row + 18
    axis = format_html_join(
        "",
        '<line x1="{0}" x2="{0}" y1="4" y2="{1}" stroke="#dee2e6"/>'
        '<text x="{0}" y="{2}" font-size="11" text-anchor="middle" fill="#6c757d">{3}</text>',
        ((x(level), height - 16, height - 4, level) for level in range(1, scale + 1)),
    )
    return format_html(
        '<svg class="profile-chart" width="100%" viewBox="0 0 {w} {h}" role="img" aria-label="{label}">'
        "{axis}{bars}</svg>",
        w=width,
        h=height,
        label=label,
        axis=axis,
        bars=format_html_join("", "{}", ((part,) for part in parts)),
    )
