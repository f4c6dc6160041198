"""The lever charts' SVG: each manager a dot with their name and figures, the dots' colours set once."""

from coaching.impact.charts import CLARITY_AXIS, scatter_svg


def test_scatter_svg_draws_a_dot_per_manager_coloured_by_their_group():
    svg = scatter_svg([(3.0, 0.5, "Ada <Lovelace>"), (5.0, 1.0, "Grace Hopper")], CLARITY_AXIS, title="Clarity")
    group = svg.split('<g fill="#0d6efd" fill-opacity="0.6" stroke="#0a58ca">')[1].split("</g>")[0]
    assert group == (
        '<circle cx="166.0" cy="96.0" r="5"><title>Ada &lt;Lovelace&gt;: 3.00, 50% of metrics on track</title></circle>'
        '<circle cx="288.0" cy="12.0" r="5"><title>Grace Hopper: 5.00, 100% of metrics on track</title></circle>'
    )
    assert svg.count("<circle") == 2 and 'aria-label="Clarity: 2 managers"' in svg


def test_scatter_svg_without_points_says_no_data():
    svg = scatter_svg([], CLARITY_AXIS, title="Clarity")
    assert "<circle" not in svg and "no data yet" in svg
