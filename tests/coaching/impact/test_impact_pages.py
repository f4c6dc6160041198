"""The Manager impact page, a manager's card and My impact: who sees which managers (a leader their sub-tree
only, a manager their own card, nobody else anything), the four columns and the flags with why, the filters,
the team pulse bands only as the confidentiality rules release them, and the same number of queries for 5
and for 50 managers."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coaching.impact.selectors import impact_managers_for, manager_impacts
from coaching.models import CoachingTask, Lever, PulseQuestion
from managers.services.charters import role_assign
from tests.coaching.impact.conftest import build_impact_org
from tests.coaching.pulse.conftest import add_sellers, run_pulse
from tests.conftest import build_charter, build_org, from_built
from tests.enablement.factories import PersonFactory, TeamFactory, UserFactory
from tests.managers.support_helpers import outside_people

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def _as(client, person_or_user):
    client.force_login(getattr(person_or_user, "user", person_or_user))
    return client


def _shown(response) -> list:
    return [impact.manager for group in response.context["groups"] for impact in group.impacts]


def _overdue(impact_org):
    CoachingTask.objects.filter(plan=impact_org["plan"]).update(due_on=timezone.localdate() - datetime.timedelta(2))


@pytest.fixture(scope="module", autouse=True)
def built(module_db) -> dict:
    """The org, `charter`, `outside` and `impact_org` (see tests/coaching/impact/conftest.py), built once for
    the module; each test reads its own copy. Every test of the module sees them, including those that do not
    ask for `impact_org`. The question bank is loaded first, as the autouse `pulse_question_bank` does."""
    from coaching.models import PulseQuestion
    from coaching.pulse.question_bank import question_bank_load
    from managers.models import Competency

    question_bank_load(PulseQuestion, Competency)
    org = build_org()
    charter = build_charter(org)
    outside = outside_people()
    return {"org": org, "charter": charter, "outside": outside, "impact_org": build_impact_org(org, charter, outside)}


org = from_built("org")
charter = from_built("charter")
outside = from_built("outside")
impact_org = from_built("impact_org")


# Who sees what.


def test_a_leader_sees_the_managers_of_their_sub_tree_only(client, org, impact_org):
    response = _as(client, org["leader"]).get(reverse("coaching:impact"))
    assert response.status_code == 200
    assert set(_shown(response)) == {org["owner"], org["peer"]}  # the outsider holds a role elsewhere
    body = response.content.decode()
    for column in (
        'data-testid="clarity"',
        'data-testid="skills"',
        'data-testid="support"',
        'data-testid="performance"',
    ):
        assert body.count(column) == 2


@pytest.mark.parametrize("who", ["recruiter", "hr_admin", "seller", "owner"])
def test_the_impact_page_is_for_sales_leaders_only(client, org, recruiter, hr_admin, who):
    user = {"recruiter": recruiter, "hr_admin": hr_admin}.get(who) or org[who].user
    assert _as(client, user).get(reverse("coaching:impact")).status_code == 403


def test_a_manager_sees_their_own_card_and_another_managers_is_a_404(client, org, impact_org):
    client = _as(client, org["owner"])
    mine = client.get(reverse("coaching:my-impact"))
    assert mine.status_code == 200 and mine.context["own"] is True
    assert mine.context["impact"].manager == org["owner"]
    assert 'data-testid="raise-support"' in mine.content.decode()
    assert client.get(reverse("coaching:impact-card", args=[org["owner"].pk])).status_code == 200
    assert client.get(reverse("coaching:impact-card", args=[org["peer"].pk])).status_code == 404
    assert client.get(reverse("coaching:impact-card", args=[org["outsider"].pk])).status_code == 404


def test_a_leader_opens_a_card_below_them_and_the_same_figures_show(client, org, impact_org):
    leader = _as(client, org["leader"])
    card = leader.get(reverse("coaching:impact-card", args=[org["owner"].pk]))
    assert card.status_code == 200 and card.context["own"] is False
    assert 'data-testid="raise-support"' not in card.content.decode()
    assert leader.get(reverse("coaching:impact-card", args=[org["outsider"].pk])).status_code == 404
    assert leader.get(reverse("coaching:impact-card", args=[org["seller"].pk])).status_code == 404  # holds no role
    own = _as(client, org["owner"]).get(reverse("coaching:my-impact")).context["impact"]
    assert [flag.text for flag in own.flags] == [flag.text for flag in card.context["impact"].flags]


@pytest.mark.parametrize("who", ["recruiter", "hr_admin", "seller", "leader"])
def test_my_impact_and_cards_are_404_for_people_without_a_card(client, org, impact_org, recruiter, hr_admin, who):
    user = {"recruiter": recruiter, "hr_admin": hr_admin}.get(who) or org[who].user
    client = _as(client, user)
    assert client.get(reverse("coaching:my-impact")).status_code == 404
    if who != "leader":
        assert client.get(reverse("coaching:impact-card", args=[org["owner"].pk])).status_code == 404


def test_impact_pages_refuse_anonymous_and_post(client, org, impact_org):
    urls = [
        reverse("coaching:impact"),
        reverse("coaching:my-impact"),
        reverse("coaching:impact-card", args=[org["owner"].pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 302
    _as(client, org["leader"])
    for url in urls:
        assert client.post(url).status_code == 405


# The figures and the flags.


def test_the_four_columns_and_each_flag_says_why(org, impact_org):
    _overdue(impact_org)
    impacts = {impact.manager: impact for impact in manager_impacts(impact_managers_for(user=org["leader"].user))}
    owner, peer = impacts[org["owner"]], impacts[org["peer"]]

    assert owner.clarity.ratings == (4, 2, 5) and owner.clarity.unanswered == 1 and owner.clarity.pending_since is None
    assert owner.skills.gap_index == 1 and owner.skills.plan == impact_org["plan"] and owner.skills.overdue_tasks == 1
    assert (owner.skills.team, owner.skills.team_with_conversation) == (1, 0)
    assert owner.support.mean == 2 and owner.support.oldest_open == impact_org["request"]
    assert (owner.performance.on_track, owner.performance.total, owner.performance.trend) == (1, 1, "up")
    assert owner.performance.meets is True
    assert [(flag.lever, flag.text) for flag in owner.flags] == [
        ("clarity", "rates “what to deprioritize” 2 of 5"),
        ("clarity", "1 question to their leader unanswered for 5 days"),
        ("skills", "weighted gap index 1.00 levels"),
        ("skills", "1 coaching task overdue"),
        ("skills", "no 1:1 with 1 of 1 sellers in 180 days"),
        ("support", "support request open 23 days, no response yet"),
        ("support", "rates “Alex Kim” 2 of 5"),
    ]
    assert [flag.text for flag in peer.flags] == [
        "charter not acknowledged for 10 days",
        "no active coaching plan",
        "no 1:1 with 1 of 1 sellers in 180 days",
        "no metric readings yet",
    ]
    assert peer.performance.meets is None and peer.support.mean is None


def _lever_questions():
    """A 1-5 question of each lever (four: a pulse asks 4 to 6), so each lever has a figure."""
    questions = PulseQuestion.objects.filter(is_active=True, scale=PulseQuestion.Scale.AGREE)
    return [questions.filter(lever=lever).first() for lever in Lever]


def _bands(client, org):
    response = _as(client, org["leader"]).get(reverse("coaching:impact"))
    impacts = {impact.manager: impact for group in response.context["groups"] for impact in group.impacts}
    return impacts[org["owner"]], impacts[org["peer"]], response.content.decode()


def test_bands_show_only_what_the_pulse_rules_release(client, org, impact_org):
    add_sellers(org["owner"], 5, prefix="team")
    run_pulse(org["owner"], [4, 5, 4, 5, 4, 5], closes_on=YESTERDAY, questions=_lever_questions())  # six: released

    owner, peer, body = _bands(client, org)

    assert owner.clarity.pulse.status == "shown" and owner.clarity.pulse.label == "80–100%"
    assert owner.support.pulse.status == "shown" and owner.performance.engagement.status == "shown"
    assert peer.clarity.pulse.status == "none"
    assert "favourable 80–100%" in body and "no team pulse yet" in body


def test_a_small_team_is_not_enough_and_the_remainder_rule_hides_its_neighbour_too(client, org, impact_org):
    add_sellers(org["owner"], 5, prefix="team")
    run_pulse(org["owner"], [4, 5, 4, 5, 4, 5], closes_on=YESTERDAY, questions=_lever_questions())
    run_pulse(org["peer"], [2, 2], closes_on=YESTERDAY, questions=_lever_questions())  # two: below the threshold

    owner, peer, body = _bands(client, org)

    # The leader's roll-up (8) minus the owner's team (6) would tell the peer's two: so neither team is shown,
    # and the roll-up row shows the eight together.
    assert peer.clarity.pulse.status == "not_enough" and peer.clarity.pulse.favourable is None
    assert owner.clarity.pulse.status == "not_enough"
    cards = body.split('data-testid="director-group"')[1]
    assert "not enough responses yet" in body and cards.count("favourable") == 3  # the roll-up's three levers


def test_every_figure_drills_down_to_its_evidence(client, org, impact_org):
    body = _as(client, org["leader"]).get(reverse("coaching:impact")).content.decode()
    for url in (
        reverse("managers:version-detail", args=[impact_org["metric"].version_id]),
        reverse("managers:question-list"),
        reverse("coaching:person-gaps", args=[org["owner"].pk]),
        reverse("coaching:plan-detail", args=[impact_org["plan"].pk]),
        reverse("coaching:impact-card", args=[org["owner"].pk]) + "#skills",
        reverse("coaching:impact-card", args=[org["owner"].pk]) + "#support",
        reverse("managers:support-detail", args=[impact_org["request"].pk]),
        reverse("coaching:impact-card", args=[org["owner"].pk]) + "#performance",
    ):
        assert f'href="{url}"' in body, url
    card = _as(client, org["leader"]).get(reverse("coaching:impact-card", args=[org["owner"].pk])).content.decode()
    assert "CPQ approvals take five days" in card and 'class="sparkline"' in card
    assert 'data-testid="without-conversation"' in card and org["seller"].full_name in card


def test_roll_ups_per_director_and_for_everyone_and_the_charts(client, org, impact_org):
    response = _as(client, org["leader"]).get(reverse("coaching:impact"))
    org_rollup = response.context["org"]
    assert (org_rollup.managers, org_rollup.acknowledged, org_rollup.with_charter) == (2, 1, 2)
    assert (org_rollup.open_requests, org_rollup.meeting, org_rollup.measured) == (1, 1, 1)
    [group] = response.context["groups"]
    assert group.rollup.director == org["leader"] and group.rollup.managers == 2
    body = response.content.decode()
    assert body.count('class="impact-chart"') == 3 and 'class="impact-meeting"' in body
    assert "Survey (CSOs)" in body and "55%" in body
    assert "score" not in body.lower().replace("no overall score", "")


def test_filters_by_director_role_team_and_attention(client, org, charter, impact_org):
    team = TeamFactory(name="Mid-market")
    director = PersonFactory(manager=org["leader"], user=UserFactory(username="director2"))
    other = PersonFactory(manager=director, team=team, user=UserFactory(username="m3"))
    PersonFactory(manager=other)  # a manager: someone reports to them
    role_assign(person=other, role=charter["other_role"], on=datetime.date(2026, 1, 1), by=None)
    client = _as(client, org["leader"])

    def shown(**params):
        response = client.get(reverse("coaching:impact"), params)
        assert response.status_code == 200
        return _shown(response)

    assert set(shown()) == {other, org["owner"], org["peer"]}
    assert shown(director=director.pk) == [other]
    assert shown(role=charter["other_role"].pk) == [other]
    assert shown(team=team.pk) == [other]
    assert set(shown(attention="on")) == {org["owner"], org["peer"], other}
    assert len(shown(director=999999)) == 3  # not a choice: the filter is ignored


def test_a_filter_shows_its_choice_selected_and_its_options_escaped(client, org, charter, impact_org):
    director = PersonFactory(first_name="<b>Dana</b>", manager=org["leader"], user=UserFactory(username="director2"))
    manager = PersonFactory(manager=director, user=UserFactory(username="m3"))
    PersonFactory(manager=manager)  # a manager: someone reports to them
    role_assign(person=manager, role=charter["role"], on=datetime.date(2026, 1, 1), by=None)
    response = _as(client, org["leader"]).get(reverse("coaching:impact"), {"director": director.pk})
    body = response.content.decode()
    assert _shown(response) == [manager]
    assert f'<option value="{director.pk}" selected>&lt;b&gt;Dana&lt;/b&gt;' in body
    assert '<option value="" selected>All roles</option>' in body


def test_the_page_paginates_managers_grouped_under_their_director(client, org, charter, settings):
    leader = org["leader"]
    for index in range(30):
        person = PersonFactory(manager=leader, user=UserFactory(username=f"mgr{index}"))
        PersonFactory(manager=person)  # a manager: someone reports to them
        role_assign(person=person, role=charter["role"], on=datetime.date(2026, 1, 1), by=None)
    client = _as(client, leader)
    first = client.get(reverse("coaching:impact"))
    second = client.get(reverse("coaching:impact"), {"page": 2})
    assert len(_shown(first)) == 25 and len(_shown(second)) == 7  # 30 + owner and peer
    assert first.context["groups"][0].rollup.managers == 32  # the roll-up covers all the director's managers


def _managers(leader, role, count: int, prefix: str) -> None:
    """`count` managers below `leader` holding `role`, each with two sellers and a pulse series."""
    for index in range(count):
        manager = PersonFactory(manager=leader, user=UserFactory(username=f"{prefix}{index}"))
        role_assign(person=manager, role=role, on=datetime.date(2026, 1, 1), by=None)
        add_sellers(manager, 2, prefix=f"{prefix}{index}s")


def test_the_page_runs_the_same_queries_for_5_and_50_managers(client, org, charter, impact_org):
    def queries() -> int:
        _as(client, org["leader"])
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("coaching:impact"))
        assert response.status_code == 200
        return len(captured)

    _managers(org["leader"], charter["role"], 3, "few")  # owner, peer and 3 more: 5
    run_pulse(org["owner"], [4, 4, 4], closes_on=YESTERDAY)
    five = queries()
    _managers(org["leader"], charter["role"], 45, "many")
    run_pulse(org["peer"], [3, 3, 3], closes_on=YESTERDAY)
    assert queries() == five


def test_a_card_runs_the_same_queries_whatever_the_team_size(client, org, impact_org):
    def queries() -> int:
        _as(client, org["owner"])
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("coaching:my-impact")).status_code == 200
        return len(captured)

    small = queries()
    add_sellers(org["owner"], 12, prefix="big")
    assert queries() == small


def test_the_everyone_row_carries_the_roll_up_of_whom_it_shows(client, org, charter, impact_org):
    add_sellers(org["owner"], 5, prefix="team")
    run_pulse(org["owner"], [4, 5, 4, 5, 4, 5], closes_on=YESTERDAY, questions=_lever_questions())
    client = _as(client, org["leader"])

    everyone = client.get(reverse("coaching:impact")).context["org"]
    one_director = client.get(reverse("coaching:impact"), {"director": org["leader"].pk}).context["org"]
    one_role = client.get(reverse("coaching:impact"), {"role": charter["role"].pk}).context["org"]

    assert everyone.director == org["leader"] and everyone.pulse["clarity"].status == "shown"
    assert one_director.director == org["leader"] and one_director.pulse["clarity"].status == "shown"
    assert one_role.pulse == {}  # no released roll-up describes the holders of one role
