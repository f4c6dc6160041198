"""The team pulse demo step (`coaching.demo.pulse`) in the demo as `seed_demo` builds it: the org, the charter,
hiring and coaching steps, this one, then the rest. What each promised part of the demo shows, read through the
same selectors as the pages, and that a second run changes nothing and prints what the first printed."""

import pytest
from django.urls import reverse

from coaching.demo.pulse import seed_pulse_demo
from coaching.models import FeedbackAction, Pulse, PulseAnswer, PulseBallotBox, PulseSeries, Recognition
from coaching.pulse import selectors
from coaching.pulse.selectors import NOT_ENOUGH, SHOWN, PulseResults
from coaching.recognition.selectors import coverage_for
from enablement.models import Person
from enablement.org.demo import demo_steps

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_lines(demo):
    """What the step printed when `seed_demo` ran it."""
    return demo.step_lines["coaching.pulse_demo"]


def _person(username: str) -> Person:
    return Person.objects.select_related("user").get(user__username=username)


def _series(username: str, kind: str = PulseSeries.Kind.TEAM) -> PulseSeries:
    return PulseSeries.objects.get(subject__user__username=username, kind=kind)


def _figures(result) -> dict:
    return {figure.question.key: figure for figure in result.figures}


def test_the_step_runs_after_coachings(demo_lines):
    names = [step.name for step in demo_steps()]
    assert names.index("coaching.pulse_demo") == names.index("coaching.demo") + 1


def test_most_teams_have_closed_pulses_with_a_realistic_spread(demo_lines):
    results = PulseResults()
    teams = PulseSeries.objects.filter(kind=PulseSeries.Kind.TEAM, pulses__state=Pulse.State.CLOSED).distinct()
    assert teams.count() >= 10
    shown = [results.window(series) for series in teams if results.window(series).status == SHOWN]
    assert len(shown) >= 9
    for key in ("priorities", "partners-support", "enps"):
        means = [_figures(result)[key].tally.mean for result in shown]
        assert max(means) - min(means) >= 1.0, key  # teams differ
    levers = {lever.lever: lever.mean for lever in shown[0].levers if lever.mean is not None}
    assert {"clarity", "skills", "support", "engagement"} <= set(levers)


def test_one_team_is_below_the_threshold_and_no_rollup_gives_it_away(demo_lines):
    results = PulseResults()
    window = results.window(_series("manager7"))
    assert window.status == NOT_ENOUGH and all(figure.tally is None for figure in window.figures)
    for leader in ("director2", "cso"):
        rollup = _figures(results.rollup(_person(leader)))
        assert all(rollup[figure.question.key].status == NOT_ENOUGH for figure in window.figures), leader


def test_one_team_shows_only_pooled_over_ninety_days(demo_lines):
    results = PulseResults()
    series = _series("manager8")
    pulses = list(series.pulses.order_by("closes_on"))
    assert [pulse.respondent_count for pulse in pulses] == [3, 4]
    assert [results.pulse(pulse).status for pulse in pulses] == [NOT_ENOUGH, NOT_ENOUGH]
    window = results.window(series)
    assert window.status == SHOWN and _figures(window)["priorities"].tally.n == 7


def test_an_action_and_its_check_back(demo_lines, client):
    first, second = _series("manager1").pulses.filter(state=Pulse.State.CLOSED).order_by("closes_on")
    action = FeedbackAction.objects.get(pulse=first)
    assert action.state == FeedbackAction.State.DONE and action.question.key == "call-feedback"
    assert second.check_back == action
    check_back = _figures(PulseResults().pulse(second))["check-back"]
    assert check_back.status == SHOWN and check_back.tally.n == 6
    client.force_login(_person("manager1").user)
    page = client.get(reverse("coaching:pulse-detail", args=[first.pk])).content.decode()
    assert action.we_will in page and 'data-testid="check-back"' in page and "% yes" in page
    client.force_login(_person("seller1").user)
    home = client.get(reverse("coaching:pulse-home")).content.decode()
    assert action.we_will in home


def test_director1_has_an_upward_pulse_they_see(demo_lines, client):
    series = _series("director1", PulseSeries.Kind.UPWARD)
    pulse = series.pulses.get()
    assert pulse.state == Pulse.State.CLOSED and pulse.invited_count == 6 and pulse.respondent_count == 5
    assert PulseResults().pulse(pulse).status == SHOWN
    client.force_login(_person("director1").user)
    assert client.get(reverse("coaching:pulse-detail", args=[pulse.pk])).context["result"].status == SHOWN
    client.force_login(_person("manager1").user)
    assert client.get(reverse("coaching:pulse-series", args=[series.pk])).status_code == 404


def test_seller1_has_an_open_pulse_to_answer(demo_lines, client):
    seller1 = _person("seller1")
    (pulse,) = selectors.pulses_to_answer(seller1)
    assert pulse.series.subject == _person("manager1") and pulse.state == Pulse.State.OPEN
    assert len(PulseBallotBox.objects.get(pulse=pulse).ballots) == 3  # three teammates answered already
    client.force_login(seller1.user)
    assert client.get(reverse("coaching:pulse-answer", args=[pulse.pk])).status_code == 200


def test_a_monthly_series_waits_for_its_first_pulse(demo_lines):
    series = _series("manager12")
    assert series.cadence == PulseSeries.Cadence.MONTHLY and series.next_pulse_on is not None
    assert series.pulses.get().state == Pulse.State.SCHEDULED


def test_the_recognition_feed_has_about_forty_with_one_flagged_returned_thank_you(demo_lines):
    assert 35 <= Recognition.objects.count() <= 45
    (flagged,) = Recognition.objects.exclude(flag="")
    assert flagged.flag == Recognition.Flag.RETURNED and not flagged.counts
    assert (flagged.giver.user.username, flagged.recipient.user.username) == ("seller4", "seller3")
    assert Recognition.objects.filter(visibility=Recognition.Visibility.PRIVATE).count() >= 2
    coverage = coverage_for(_person("manager1"))
    assert (coverage["recognised"], coverage["team_size"]) == (4, 7)
    assert {person.user.username for person in coverage["not_recognised"]} == {"seller3", "seller5", "seller7"}


def test_the_summary_says_whom_to_sign_in_as(demo_lines):
    text = "\n".join(demo_lines)
    for username in ("seller1", "manager1", "manager7", "manager8", "director1"):
        assert username in text


def _snapshot() -> dict:
    return {
        "pulses": sorted(Pulse.objects.values_list("pk", "state", "updated_at")),
        "series": sorted(PulseSeries.objects.values_list("pk", "cadence", "next_pulse_on", "updated_at")),
        "answers": PulseAnswer.objects.count(),
        "ballots": sorted(PulseBallotBox.objects.values_list("pulse", "ballots")),
        "actions": sorted(FeedbackAction.objects.values_list("pk", "updated_at")),
        "recognitions": sorted(Recognition.objects.values_list("pk", "updated_at", "flag")),
    }


def test_a_second_run_changes_nothing(demo_lines):
    before = _snapshot()
    assert tuple(seed_pulse_demo()) == demo_lines
    assert demo_lines and _snapshot() == before
