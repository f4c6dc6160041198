"""Pulse pages: access for every page (anonymous, outsider 404, wrong method 405, the owner), answering
on the answer page, "not enough responses" until the threshold then results, acting on feedback, query
parameters that try to narrow a result, and query counts pinned for 5 and 50 teams."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coaching.models import FeedbackAction, Pulse, PulseSeries
from coaching.pulse import services
from tests.coaching.pulse.conftest import add_manager, add_sellers, bank, load_question_bank, run_pulse
from tests.conftest import build_org, from_built

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()  # noqa: DTZ011 - the pages use the local day
DAY = datetime.timedelta(days=1)


def login(client, person_or_user):
    client.force_login(getattr(person_or_user, "user", person_or_user))
    return client


def build_team(org: dict) -> dict:
    """`owner`'s team of 7 (seller and six more) and one pulse about `owner` that 5 answered."""
    add_sellers(org["owner"], 6, prefix="team")
    pulse = run_pulse(org["owner"], [4, 5, 4, 3, 5], closes_on=TODAY - DAY)
    return {"pulse": pulse, "series": pulse.series}


@pytest.fixture(scope="module", autouse=True)
def built(module_db) -> dict:
    """The org and `team`, built once for the module; each test reads its own copy. Every test sees them: the
    leader's roll-up has `owner`'s team in it, and `owner` a closed pulse and seven sellers."""
    load_question_bank()
    org = build_org()
    return {"org": org, "team": build_team(org)}


org = from_built("org")
team = from_built("team")


def pages(team, org):
    return [
        ("coaching:pulse-series", [team["series"].pk]),
        ("coaching:pulse-detail", [team["pulse"].pk]),
        ("coaching:pulse-rollup", [org["leader"].pk]),
    ]


def test_pages_refuse_anonymous(client, org, team):
    for name, args in [*pages(team, org), ("coaching:pulse-home", []), ("coaching:pulse-schedule", [])]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302 and "login" in response.url


def test_results_pages_are_404_for_an_outsider_a_peer_and_an_hr_admin(client, org, team, hr_admin):
    for viewer in (org["outsider"], org["peer"], hr_admin):
        login(client, viewer)
        for name, args in pages(team, org):
            if name == "coaching:pulse-rollup" and viewer is hr_admin:
                continue  # HR admins see the org roll-up: below
            assert client.get(reverse(name, args=args)).status_code == 404, (viewer, name)


def test_results_pages_answer_the_manager_and_the_leader(client, org, team):
    login(client, org["owner"])
    assert client.get(reverse("coaching:pulse-series", args=[team["series"].pk])).status_code == 200
    assert client.get(reverse("coaching:pulse-detail", args=[team["pulse"].pk])).status_code == 200
    assert client.get(reverse("coaching:pulse-rollup", args=[org["leader"].pk])).status_code == 404
    login(client, org["leader"])
    for name, args in pages(team, org):
        assert client.get(reverse(name, args=args)).status_code == 200


def test_hr_admin_sees_the_org_rollup_only(client, org, team, hr_admin):
    login(client, hr_admin)
    home = client.get(reverse("coaching:pulse-home")).content.decode()
    assert reverse("coaching:pulse-rollup", args=[org["leader"].pk]) in home
    assert reverse("coaching:pulse-series", args=[team["series"].pk]) not in home
    page = client.get(reverse("coaching:pulse-rollup", args=[org["leader"].pk]))
    assert page.status_code == 200 and page.context["teams"] == []


def test_commands_refuse_get(client, org, team):
    login(client, org["owner"])
    assert client.get(reverse("coaching:pulse-action-add", args=[team["pulse"].pk])).status_code == 405
    assert client.get(reverse("coaching:pulse-action-done", args=[1])).status_code == 405


def test_a_seller_sees_the_actions_but_not_the_results(client, org, team):
    services.feedback_action_add(
        pulse=team["pulse"],
        you_said="More call feedback",
        we_will="Call reviews on Fridays",
        owner=org["owner"],
        due_on=TODAY,
        by=None,
    )
    login(client, org["seller"])
    page = client.get(reverse("coaching:pulse-detail", args=[team["pulse"].pk]))
    assert page.status_code == 200 and "Call reviews on Fridays" in page.content.decode()
    assert page.context["result"] is None and 'data-testid="result"' not in page.content.decode()
    assert client.get(reverse("coaching:pulse-series", args=[team["series"].pk])).status_code == 404


def test_answer_page_takes_answers_once(client, org):
    pulse = services.pulse_schedule(
        subject=org["owner"], opens_on=TODAY, closes_on=TODAY + DAY, questions=bank(), by=None
    )
    login(client, org["seller"])
    url = reverse("coaching:pulse-answer", args=[pulse.pk])
    assert client.get(url).status_code == 200
    data = {f"q{q.pk}": "4" for q in bank()} | {f"q{bank()[3].pk}": "", "comment": "Fine"}
    assert client.post(url, data).status_code == 302
    assert "You have answered" in client.get(url).content.decode()
    assert pulse.invitations.get(person=org["seller"]).has_answered
    login(client, org["peer_seller"])
    assert client.get(url).status_code == 404


def test_manager_sees_not_enough_until_the_threshold_then_results(client, org):
    manager, sellers = add_manager(org["leader"], 6, name="thr")
    four = run_pulse(manager, [4] * 4, closes_on=TODAY - 50 * DAY)
    login(client, manager)
    page = client.get(reverse("coaching:pulse-detail", args=[four.pk])).content.decode()
    assert "Not enough responses to show yet." in page and 'data-testid="mean"' not in page
    five = run_pulse(manager, [4] * 5, closes_on=TODAY - DAY)
    # the 4 answered 50 days ago, 5 now: the window has the same 5 (latest answers) plus the earlier
    # ones who did not answer now... here the first four answered both times, so the window is the 5.
    page = client.get(reverse("coaching:pulse-detail", args=[five.pk])).content.decode()
    assert 'data-testid="mean"' in page


NARROWING = [
    {"team": "x"},
    {"since": "2020-01-01", "until": "2030-01-01"},
    {"question": "1"},
    {"respondents": "1"},
    {"compare": "1"},
    {"format": "csv"},
    {"min": "1"},
]


@pytest.mark.parametrize("params", NARROWING)
def test_query_parameters_cannot_narrow_a_result(client, org, params):
    # Under `outsider`, whom the built data leaves alone: the leader's roll-up has `owner`'s team (5 answers) in it.
    top = org["outsider"]
    manager, _ = add_manager(top, 6, name="narrow")
    small_pulse = run_pulse(manager, [1, 1, 1], closes_on=TODAY - DAY)
    login(client, top)
    for url in (
        reverse("coaching:pulse-detail", args=[small_pulse.pk]),
        reverse("coaching:pulse-series", args=[small_pulse.series_id]),
        reverse("coaching:pulse-rollup", args=[top.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url  # `outsider` opens them as the leader did
        plain = response.content.decode()
        narrowed = client.get(url, params).content.decode()
        assert 'data-testid="mean"' not in narrowed
        assert plain.count('data-status="shown"') == narrowed.count('data-status="shown"')


def test_manager_acts_on_feedback_with_a_focus_item(client, org, team):
    login(client, org["owner"])
    url = reverse("coaching:pulse-action-add", args=[team["pulse"].pk])
    question = team["pulse"].questions.first()
    response = client.post(
        url,
        {
            "question": question.pk,
            "you_said": "Feedback is rare",
            "we_will": "Weekly reviews",
            "owner": org["owner"].pk,
            "due_on": TODAY + 14 * DAY,
        },
    )
    assert response.status_code == 302
    assert FeedbackAction.objects.get(pulse=team["pulse"]).we_will == "Weekly reviews"
    login(client, org["leader"])  # only the subject acts
    assert (
        client.post(url, {"you_said": "x", "we_will": "y", "owner": org["owner"].pk, "due_on": TODAY}).status_code
        == 404
    )


def test_schedule_page_schedules_for_every_team_under_a_leader(client, org):
    login(client, org["leader"])
    response = client.post(
        reverse("coaching:pulse-schedule"),
        {
            "subject": org["leader"].pk,
            "every_team": "on",
            "kind": "team",
            "opens_on": TODAY,
            "closes_on": TODAY + 7 * DAY,
            "questions": [q.pk for q in bank()],
        },
    )
    assert response.status_code == 302
    assert Pulse.objects.filter(state=Pulse.State.OPEN).count() == 2
    login(client, org["seller"])
    assert client.get(reverse("coaching:pulse-schedule")).status_code == 404


def _org_with_teams(leader, count):
    for i in range(count):
        manager, _ = add_manager(leader, 5, name=f"q{count}-{i}")
        run_pulse(manager, [4] * (5 if i % 3 else 3), closes_on=TODAY - DAY)


@pytest.mark.parametrize("page", ["coaching:pulse-rollup", "coaching:pulse-home"])
def test_results_pages_run_the_same_queries_for_5_and_50_teams(client, org, team, page, django_assert_num_queries):
    args = [org["leader"].pk] if page == "coaching:pulse-rollup" else []
    _org_with_teams(org["leader"], 5)
    login(client, org["leader"])
    url = reverse(page, args=args)
    client.get(url)
    cache.clear()  # the decision computed each time, not kept from the request before
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _org_with_teams(org["leader"], 45)
    assert PulseSeries.objects.exclude(pk=team["series"].pk).count() == 50  # and the built team's
    cache.clear()
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
