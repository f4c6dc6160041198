"""The query count of a manager's pulse pages (`coaching.pulse.decisions`), apart from `test_decisions.py`: that
module's generated orgs run several pulses a window, and a series with several reads its respondents' latest
answers in a query of its own. Here every team has one pulse in the window, as the count below states."""

import pytest

from coaching.pulse.selectors import SHOWN, PulseResults
from tests.coaching.pulse.conftest import TODAY, add_manager, run_pulse

pytestmark = pytest.mark.django_db


def test_a_managers_pages_read_their_own_values_with_the_decision(org, django_assert_num_queries):
    """A manager's pulse page and series page: the decision's one aggregate brings their team's values,
    whatever the number of teams; a roll-up next reads every series' values in one more query."""
    manager, _ = add_manager(org["leader"], 6, name="own")
    pulse = run_pulse(manager, [4] * 6)
    for i in range(4):
        other, _ = add_manager(org["outsider"], 6, name=f"other{i}")
        run_pulse(other, [3] * 6)
    series, results = pulse.series, PulseResults(today=TODAY)
    # the questions, the decision's key (the window's closed pulses, the managers above their teams), the window
    # aggregate; the pulse's items and answers
    with django_assert_num_queries(6):
        assert results.pulse(pulse).status == SHOWN
    with django_assert_num_queries(0):
        assert results.window(series).status == SHOWN
    with django_assert_num_queries(1):
        assert results.rollup(org["outsider"]).status == SHOWN
