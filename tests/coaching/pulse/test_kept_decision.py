"""The org's pulse decision kept between requests (`coaching.pulse.snapshot`) is read back only while it is what a
fresh computation would give. Each test computes the results, changes one thing they are made of the way a write
path would (a bulk update that sends no signal included), and checks that the next request sees the change."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from coaching.models import PulseSeries
from coaching.pulse import selectors
from coaching.pulse.selectors import NO_DATA, NOT_ENOUGH, SHOWN, PulseResults
from coaching.pulse.thresholds import pool_days
from enablement.models import Person
from tests.coaching.pulse.conftest import TODAY, add_manager, run_pulse
from tests.coaching.pulse.test_decisions import Straightforward, _expected, _figures, _generated_org

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def threshold(settings):
    settings.PULSE_MIN_RESPONDENTS = 3
    return 3


def _answered(leader: Person, *, today: datetime.date = TODAY) -> tuple[str, int | None]:
    """The roll-up's first figure, as the next request sees it: status and how many answered."""
    result = PulseResults(today=today).rollup(leader)
    if not result.figures:
        return result.status, None
    figure = result.figures[0]
    return figure.status, figure.tally.n if figure.tally else None


def _two_teams(leader: Person, *, closes_on: datetime.date = TODAY - DAY) -> list[Person]:
    """Two teams (a decision over one series reads its values alone and is not kept), 5 and 4 answering 4."""
    managers = []
    for name, answering in (("five", 5), ("four", 4)):
        manager, _ = add_manager(leader, 6, name=name)
        run_pulse(manager, [4] * answering, closes_on=closes_on)
        managers.append(manager)
    return managers


def test_a_kept_decision_gives_every_figure_a_fresh_computation_gives(django_assert_num_queries):
    cso = _generated_org(11)
    reference = Straightforward(TODAY)
    PulseResults(today=TODAY).rollup(cso)  # computes, reads every series' values, keeps
    leaders = [person for person in Person.objects.order_by("pk") if ("rollup", person.pk) in reference.children]
    series = list(PulseSeries.objects.order_by("pk"))

    kept = PulseResults(today=TODAY)
    # the questions and the key (the window's closed pulses, the managers above their teams); no answer read
    with django_assert_num_queries(3):
        assert _figures(kept.rollup(cso)) == _expected(reference, ("rollup", cso.pk))
    with django_assert_num_queries(0):
        for leader in leaders:
            assert _figures(kept.rollup(leader)) == _expected(reference, ("rollup", leader.pk)), leader
        for entry in series:
            assert _figures(kept.window(entry)) == _expected(reference, ("series", entry.pk)), entry
    assert {key for key, shown in kept.visible.items() if shown} == {
        key for key, shown in reference.visible.items() if shown
    }


def test_a_pulse_released_since_is_in_the_next_request(org):
    five, _four = _two_teams(org["leader"], closes_on=TODAY - 8 * DAY)
    assert _counts(org["leader"]) == {4: 9}
    run_pulse(five, [1] * 5)  # the same team again (the same tree): each respondent's latest answer counts
    assert _counts(org["leader"]) == {1: 5, 4: 4}


def _counts(leader: Person) -> dict[int, int]:
    return dict(PulseResults(today=TODAY).rollup(leader).figures[0].tally.counts)


def test_a_team_moved_by_a_bulk_update_moves_in_the_roll_ups(org):
    staying, _ = add_manager(org["leader"], 6, name="staying")
    moving, _ = add_manager(org["leader"], 6, name="moving")
    run_pulse(staying, [4] * 5)
    run_pulse(moving, [3] * 4)
    assert _answered(org["leader"]) == (SHOWN, 9)
    Person.objects.filter(pk=moving.pk).update(manager=org["outsider"])  # no signal, no service
    assert _answered(org["leader"]) == (SHOWN, 5)
    assert _answered(org["outsider"]) == (SHOWN, 4)


def test_a_higher_threshold_applies_to_the_next_request(org, settings):
    _two_teams(org["leader"])
    assert _answered(org["leader"]) == (SHOWN, 9)
    settings.PULSE_MIN_RESPONDENTS = 10
    assert _answered(org["leader"]) == (NOT_ENOUGH, None)


def test_a_pulse_leaves_the_window_the_day_it_is_too_old(org):
    _two_teams(org["leader"], closes_on=TODAY - 10 * DAY)
    assert _answered(org["leader"]) == (SHOWN, 9)
    later = TODAY - 10 * DAY + pool_days() * DAY
    assert _answered(org["leader"], today=later) == (SHOWN, 9)
    assert _answered(org["leader"], today=later + DAY) == (NO_DATA, None)


def test_a_pulse_released_between_the_key_and_the_answers_is_not_kept(org, monkeypatch):
    """The key is read first, the answers after: a pulse released in between is in the answers but not in the
    key, so what was read is used for this request and not kept under a key that does not describe it."""
    early, _ = add_manager(org["leader"], 6, name="early")
    late, _ = add_manager(org["leader"], 6, name="late")
    run_pulse(early, [4] * 5)
    read_windows = selectors.read_windows

    def release_first(*args, **kwargs):
        run_pulse(late, [1] * 4)
        return read_windows(*args, **kwargs)

    monkeypatch.setattr(selectors, "read_windows", release_first)
    results = PulseResults(today=TODAY)
    assert results.rollup(org["leader"]).figures[0].tally.n == 9
    assert cache.get(results._key.key) is None
    monkeypatch.setattr(selectors, "read_windows", read_windows)
    assert _answered(org["leader"]) == (SHOWN, 9)
    assert cache.get(_key_now()) is not None  # kept by that request, whose key and answers agree


def _key_now() -> str:
    results = PulseResults(today=TODAY)
    results._load()
    return results._key.key


def test_the_roll_up_page_shows_a_team_moved_since_the_last_request(client, org):
    """From the outside: the leader's roll-up page, opened twice (the second from the kept decision), then once
    more after a team moved away by a bulk update; the wrong leader gets no page."""
    _staying, moving = _two_teams(org["leader"], closes_on=timezone.localdate() - DAY)  # the page's today
    client.force_login(org["leader"].user)
    url = reverse("coaching:pulse-rollup", args=[org["leader"].pk])

    def answered() -> int:
        response = client.get(url)
        assert response.status_code == 200
        return response.context["rollup"].figures[0].tally.n

    assert answered() == 9
    assert answered() == 9  # the kept decision
    Person.objects.filter(pk=moving.pk).update(manager=org["outsider"])
    assert answered() == 5
    client.force_login(org["outsider"].user)
    assert client.get(url).status_code == 404
