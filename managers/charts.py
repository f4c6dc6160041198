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
