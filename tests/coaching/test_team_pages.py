"""The coach's pages through the test client: "My team", a person's gaps with their evidence, starting a
plan (from the gaps or from scratch), asking for a self-assessment and recording an assessment. Who may
open what (anonymous, strangers, peers, HR and recruiters, oneself), what each page shows and changes,
and the team page's pinned query count."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coaching.models import ActivityKind, Assessment, AssessmentRating, CoachingPlan, DevelopmentActivity
from coaching.selectors.gaps import gaps_for, top_gaps
from coaching.services import plans as plan_services
from coaching.services.assessments import LevelInput, assessment_record, assessment_request
from managers.services.charters import role_assign
from tests.conftest import build_org, from_built
from tests.enablement.factories import PersonFactory, UserFactory
from tests.helpers import login_as, messages_of
from tests.managers.factories import CompetencyFactory, RoleCompetencyFactory, RoleFactory

pytestmark = pytest.mark.django_db

LEADER_EVIDENCE = "Tells, does not ask: ran three 1:1s as status updates."
START = datetime.date(2026, 1, 1)


def _yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


def _framework(org) -> dict:
    """The manager role (owner and peer hold it) requires coaching (3, weight 3), storytelling (3, 1),
    resilience (3, 2) and acumen (3, 5). The leader assessed owner: coaching 1, storytelling 2,
    resilience 2; acumen not assessed. Weighted gaps: coaching 6, resilience 2, storytelling 1.
    seller and peer_seller hold the sellers' role, which requires prospecting (2)."""
    role = RoleFactory(code="fsm", name="Frontline Sales Manager")
    competencies = {key: CompetencyFactory(key=key) for key in ("coaching", "storytelling", "resilience", "acumen")}
    for key, weight in (("coaching", 3), ("storytelling", 1), ("resilience", 2), ("acumen", 5)):
        RoleCompetencyFactory(role=role, competency=competencies[key], required_level=3, weight=weight)
    for person in (org["owner"], org["peer"]):
        role_assign(person=person, role=role, on=START, by=None)
    seller_role = RoleFactory(code="ae", name="Account Executive")
    RoleCompetencyFactory(role=seller_role, competency=CompetencyFactory(key="prospecting"), required_level=2)
    for person in (org["seller"], org["peer_seller"]):
        role_assign(person=person, role=seller_role, on=START, by=None)
    assessment_record(
        person=org["owner"],
        source=Assessment.Source.LEADER,
        by=org["leader"].user,
        ratings={
            competencies["coaching"]: LevelInput(Decimal(1), LEADER_EVIDENCE),
            competencies["storytelling"]: LevelInput(Decimal(2)),
            competencies["resilience"]: LevelInput(Decimal(2)),
        },
    )
    return {"role": role, "competencies": competencies}


@pytest.fixture(scope="module", autouse=True)
def built(module_db) -> dict:
    """The org and `framework`, built once for the module; each test reads its own copy. Every test of the
    module sees them, including those that do not ask for `framework`."""
    org = build_org()
    return {"org": org, "framework": _framework(org)}


org = from_built("org")
framework = from_built("framework")


# -- who may open what --------------------------------------------------------------------------------

PERSON_PAGES = ("person-gaps", "plan-create", "assessment-request", "assessment-record")
METHOD = {"person-gaps": "get", "plan-create": "get", "assessment-request": "post", "assessment-record": "get"}


def _open(client, name: str, person):
    return getattr(client, METHOD[name])(reverse(f"coaching:{name}", args=[person.pk]))


@pytest.mark.parametrize("name", ("team", *PERSON_PAGES))
def test_team_pages_send_anonymous_to_login(client, org, name):
    url = reverse("coaching:team") if name == "team" else reverse(f"coaching:{name}", args=[org["owner"].pk])
    response = client.post(url) if METHOD.get(name) == "post" else client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", PERSON_PAGES)
@pytest.mark.parametrize("target", ["owner", "seller"])
def test_person_pages_do_not_exist_for_an_outsider(client, framework, org, name, target):
    assert _open(login_as(client, org["outsider"]), name, org[target]).status_code == 404


@pytest.mark.parametrize("name", PERSON_PAGES)
def test_person_pages_do_not_exist_for_a_manager_on_a_peers_seller(client, framework, org, name):
    assert _open(login_as(client, org["owner"]), name, org["peer_seller"]).status_code == 404


@pytest.mark.parametrize("name", PERSON_PAGES)
def test_person_pages_do_not_exist_for_a_peer(client, framework, org, name):
    """A peer is not above owner: they neither see owner's gaps nor record an assessment of them."""
    assert _open(login_as(client, org["peer"]), name, org["owner"]).status_code == 404
    assert not Assessment.objects.filter(person=org["owner"], assessor=org["peer"].user).exists()


@pytest.mark.parametrize("name", PERSON_PAGES)
@pytest.mark.parametrize("persona", ["hr_admin", "recruiter"])
def test_hr_and_recruiters_see_nobodys_development(client, request, framework, org, name, persona):
    assert _open(login_as(client, request.getfixturevalue(persona)), name, org["owner"]).status_code == 404


@pytest.mark.parametrize("persona", ["seller", "hr_admin", "recruiter"])
def test_team_page_is_refused_to_who_coaches_nobody(client, request, org, persona):
    user = request.getfixturevalue(persona) if persona != "seller" else org["seller"].user
    assert login_as(client, user).get(reverse("coaching:team")).status_code == 403


@pytest.mark.parametrize("name", ["plan-create", "assessment-request", "assessment-record"])
def test_nobody_plans_for_or_assesses_themselves_here(client, framework, org, name):
    """Oneself is visible (one's own gaps page) but not someone to start a plan for or assess: 403."""
    assert _open(login_as(client, org["owner"]), name, org["owner"]).status_code == 403


@pytest.mark.parametrize(
    ("name", "wrong"),
    [
        ("team", "post"),
        ("person-gaps", "post"),
        ("plan-create", "delete"),
        ("assessment-request", "get"),
        ("assessment-record", "delete"),
    ],
)
def test_team_pages_refuse_the_wrong_method(client, framework, org, name, wrong):
    url = reverse("coaching:team") if name == "team" else reverse(f"coaching:{name}", args=[org["owner"].pk])
    assert getattr(login_as(client, org["leader"]), wrong)(url).status_code == 405


def test_a_leader_reaches_the_whole_sub_tree_a_manager_their_team(client, framework, org):
    login_as(client, org["leader"])
    for target in ("owner", "seller", "peer_seller"):
        assert _open(client, "person-gaps", org[target]).status_code == 200
        assert _open(client, "assessment-record", org[target]).status_code == 200
    login_as(client, org["owner"])
    assert _open(client, "plan-create", org["seller"]).status_code == 200
    assert _open(client, "person-gaps", org["owner"]).status_code == 200  # their own


# -- My team ------------------------------------------------------------------------------------------


@pytest.fixture
def coaching_under_way(framework, org, leader):
    """owner: an active plan coached by the leader, one task overdue, one later. peer: no plan, asked for a
    self-assessment. peer_seller: a draft plan the leader coaches (not a direct report of the leader)."""
    plan = plan_services.plan_start_from_gaps(coachee=org["owner"], coach=leader, by=leader.user, title="Coach more")
    plan_services.plan_activate(plan=plan, by=leader.user)
    plan_services.task_add(
        plan=plan,
        title="Late role play",
        kind=ActivityKind.PRACTICE,
        assignee=org["owner"],
        due_on=_yesterday(),
        by=leader.user,
    )
    plan_services.task_add(
        plan=plan,
        title="Shadow Kim",
        kind=ActivityKind.SHADOWING,
        assignee=org["owner"],
        due_on=timezone.localdate() + datetime.timedelta(days=20),
        by=leader.user,
    )
    assessment_request(person=org["peer"], by=leader.user)
    draft = plan_services.plan_create(coachee=org["peer_seller"], coach=leader, by=leader.user, title="SDR ramp")
    return {"plan": plan, "draft": draft}


def _row(page: str, person) -> str:
    start = page.index(f'data-person="{person.pk}"')
    return page[start : page.index("</tr>", start)]


def test_team_shows_reports_and_coachees_with_plan_tasks_and_requests(client, coaching_under_way, org):
    page = login_as(client, org["leader"]).get(reverse("coaching:team")).content.decode()

    owner_row = _row(page, org["owner"])
    assert "Coach more" in owner_row and 'data-testid="progress"' in owner_row
    assert reverse("coaching:plan-detail", args=[coaching_under_way["plan"].pk]) in owner_row
    assert 'data-testid="open-tasks">2<' in owner_row
    assert '<span class="badge text-bg-danger">1</span>' in owner_row  # one overdue
    assert "Frontline Sales Manager" in owner_row
    for name in ("person-gaps", "assessment-record", "assessment-request"):
        assert reverse(f"coaching:{name}", args=[org["owner"].pk]) in owner_row
    assert reverse("coaching:plan-create", args=[org["owner"].pk]) not in owner_row  # has an active plan

    peer_row = _row(page, org["peer"])
    assert 'data-testid="no-active-plan"' in peer_row and 'data-testid="self-assessment-pending"' in peer_row
    assert reverse("coaching:assessment-request", args=[org["peer"].pk]) not in peer_row  # asked already

    peer_seller_row = _row(page, org["peer_seller"])  # not a direct report: a coachee of the leader's plan
    assert "SDR ramp" in peer_seller_row and 'data-testid="no-active-plan"' in peer_seller_row
    assert f'data-person="{org["seller"].pk}"' not in page  # below, but neither a report nor a coachee


def test_team_of_a_manager_is_their_sellers_only(client, coaching_under_way, org):
    page = login_as(client, org["owner"]).get(reverse("coaching:team")).content.decode()

    assert f'data-person="{org["seller"].pk}"' in page
    for other in ("peer", "peer_seller", "owner", "leader"):
        assert f'data-person="{org[other].pk}"' not in page


def _reports(manager, role, start: int, count: int) -> None:
    """`count` people reporting to `manager`, each holding `role`, with an active plan and a task overdue,
    a coaching task of theirs in a draft plan, and a self-assessment asked for."""
    for index in range(start, start + count):
        person = PersonFactory(user=UserFactory(username=f"report{index}"), manager=manager, team=manager.team)
        role_assign(person=person, role=role, on=START, by=None)
        plan = plan_services.plan_create(coachee=person, coach=manager, by=None)
        plan_services.plan_activate(plan=plan, by=None)
        plan_services.task_add(
            plan=plan, title="Practice", kind=ActivityKind.PRACTICE, assignee=person, due_on=_yesterday(), by=None
        )
        plan_services.plan_create(coachee=person, coach=manager, by=None, title="Next quarter")
        assessment_request(person=person, by=manager.user)


def test_team_page_runs_a_fixed_number_of_queries(client, framework, org, django_assert_num_queries):
    """Given 3 reports with roles, plans, tasks and requests, the page runs as many queries as for 20."""
    owner = org["owner"]
    org["seller"].employment_status = "terminated"  # out of the team, so the counts below are exact
    org["seller"].save(update_fields=["employment_status"])
    _reports(owner, framework["role"], 0, 3)
    login_as(client, owner).get(reverse("coaching:team"))  # the session warmed
    with CaptureQueriesContext(connection) as small:
        response = client.get(reverse("coaching:team"))
    assert response.content.decode().count("data-person=") == 3

    _reports(owner, framework["role"], 3, 17)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse("coaching:team"))
    page = response.content.decode()
    assert page.count("data-person=") == 20 and page.count('data-testid="self-assessment-pending"') == 20
    assert page.count("Next quarter") == 20
    assert len(small.captured_queries) <= 20  # the team itself takes three: people, their roles, their plans


# -- a person's gaps ----------------------------------------------------------------------------------


def test_gaps_page_shows_each_gap_with_the_evidence_behind_it(client, framework, org):
    page = login_as(client, org["leader"]).get(reverse("coaching:person-gaps", args=[org["owner"].pk])).content.decode()

    coaching = page[page.index('data-competency="coaching"') :]
    coaching = coaching[: coaching.index("</tr>")]
    assert 'data-testid="assessed">1<' in coaching and 'data-testid="gap"><strong>2<' in coaching
    assert 'data-testid="weighted-gap">6<' in coaching
    assert LEADER_EVIDENCE in coaching and 'data-source="leader"' in coaching
    assert org["leader"].user.get_full_name() in coaching
    acumen = page[page.index('data-competency="acumen"') :]
    assert 'data-testid="not-assessed"' in acumen[: acumen.index("</tr>")]
    assert 'data-testid="assessments"' in page and LEADER_EVIDENCE in page.split('data-testid="assessments"')[1]


def test_own_gaps_page_keeps_the_interviewers_notes_out(client, framework, org):
    """A hiring rating's evidence names the interviewers: the leader reads it, the person does not."""
    notes = "Role play (Pat Interviewer), 2: stalled on the business case."
    hiring = Assessment.objects.create(person=org["owner"], source=Assessment.Source.HIRING, assessed_on=START)
    AssessmentRating.objects.create(
        assessment=hiring, competency=framework["competencies"]["acumen"], level=2, evidence=notes
    )
    url = reverse("coaching:person-gaps", args=[org["owner"].pk])

    assert notes in login_as(client, org["leader"]).get(url).content.decode()
    own = login_as(client, org["owner"]).get(url).content.decode()
    assert notes not in own and 'data-source="hiring"' in own and LEADER_EVIDENCE in own


def test_gaps_page_lists_the_persons_plans(client, coaching_under_way, org):
    page = login_as(client, org["leader"]).get(reverse("coaching:person-gaps", args=[org["owner"].pk])).content.decode()
    plans = page.split('data-testid="plans"')[1]
    assert "Coach more" in plans and reverse("coaching:plan-detail", args=[coaching_under_way["plan"].pk]) in plans


# -- starting a plan ----------------------------------------------------------------------------------


def _plan_post(coach, start_from="gaps", **extra) -> dict:
    return {
        "start_from": start_from,
        "title": "",
        "period_start": "2027-01-01",
        "period_end": "",
        "coach": coach.pk,
        **extra,
    }


def test_plan_create_previews_the_goals_from_the_top_gaps(client, framework, org):
    page = login_as(client, org["leader"]).get(reverse("coaching:plan-create", args=[org["owner"].pk])).content.decode()
    preview = page.split('data-testid="goals-preview"')[1]
    keys = [gap.competency.key for gap in top_gaps(org["owner"])]
    assert keys == ["coaching", "resilience", "storytelling"]
    assert [preview.index(f'data-competency="{key}"') for key in keys] == sorted(
        preview.index(f'data-competency="{key}"') for key in keys
    )
    assert 'data-competency="acumen"' not in preview  # not assessed: no goal
    assert 'value="gaps"' in page and "checked" in page.split('value="gaps"')[1][:40]  # the default


def test_plan_create_from_the_gaps_sets_a_goal_per_top_gap_and_opens_the_plan(client, framework, org, leader):
    DevelopmentActivity.objects.create(
        competency=framework["competencies"]["coaching"], kind=ActivityKind.PRACTICE, title="Run 3 role plays"
    )
    response = login_as(client, leader).post(
        reverse("coaching:plan-create", args=[org["owner"].pk]), _plan_post(leader, title="H1 development")
    )

    plan = CoachingPlan.objects.get(coachee=org["owner"])
    assert response.status_code == 302 and response.url == reverse("coaching:plan-detail", args=[plan.pk])
    expected = [(gap.competency, gap.required_level) for gap in top_gaps(org["owner"])]
    assert [(goal.competency, goal.target_level) for goal in plan.goals.all()] == expected
    assert [task.title for task in plan.tasks.all()] == ["Run 3 role plays"]
    assert (plan.title, plan.coach, plan.state, plan.period_start) == (
        "H1 development",
        leader,
        CoachingPlan.State.DRAFT,
        datetime.date(2027, 1, 1),
    )


def test_plan_create_from_scratch_makes_an_empty_draft(client, framework, org, leader):
    response = login_as(client, leader).post(
        reverse("coaching:plan-create", args=[org["owner"].pk]), _plan_post(leader, "scratch")
    )

    plan = CoachingPlan.objects.get(coachee=org["owner"])
    assert response.url == reverse("coaching:plan-detail", args=[plan.pk])
    assert (plan.goals.count(), plan.tasks.count(), plan.state) == (0, 0, CoachingPlan.State.DRAFT)
    assert plan.period_end == datetime.date(2027, 1, 1) + datetime.timedelta(days=plan_services.PLAN_DAYS)


def test_plan_coach_is_me_or_a_manager_above_the_coachee(client, framework, org):
    url = reverse("coaching:plan-create", args=[org["seller"].pk])
    login_as(client, org["owner"])
    page = client.get(url).content.decode()
    coach_field = page[page.index('name="coach"') : page.index("</select>", page.index('name="coach"'))]
    assert f'value="{org["owner"].pk}" selected' in coach_field and f'value="{org["leader"].pk}"' in coach_field
    assert f'value="{org["peer"].pk}"' not in coach_field

    response = client.post(url, _plan_post(org["peer"]))
    assert response.status_code == 200 and not CoachingPlan.objects.exists()
    client.post(url, _plan_post(org["leader"]))
    assert CoachingPlan.objects.get(coachee=org["seller"]).coach == org["leader"]


def test_plan_create_refuses_a_period_that_ends_before_it_starts(client, framework, org, leader):
    response = login_as(client, leader).post(
        reverse("coaching:plan-create", args=[org["owner"].pk]), _plan_post(leader, period_end="2026-12-01")
    )
    assert response.status_code == 200 and "ends before it starts" in response.content.decode()
    assert not CoachingPlan.objects.exists()


# -- asking for and recording assessments -------------------------------------------------------------


def _requests(person):
    return Assessment.objects.filter(person=person, source=Assessment.Source.SELF, status=Assessment.Status.REQUESTED)


def test_asking_twice_for_a_self_assessment_leaves_one_request(client, framework, org, leader):
    url = reverse("coaching:assessment-request", args=[org["owner"].pk])
    login_as(client, leader)
    first = client.post(url, {"next": reverse("coaching:team")})
    second = client.post(url)

    assert _requests(org["owner"]).count() == 1
    assert _requests(org["owner"]).get().requested_by == leader.user
    assert first.url == reverse("coaching:team")  # back where the leader asked from
    assert second.url == reverse("coaching:person-gaps", args=[org["owner"].pk])
    assert any("already asked" in message for message in messages_of(second))


def test_asking_keeps_the_due_date_and_note_and_refuses_a_past_due_date(client, framework, org, leader):
    url = reverse("coaching:assessment-request", args=[org["owner"].pk])
    login_as(client, leader)
    response = client.post(url, {"due_on": _yesterday().isoformat()})
    assert any("has passed" in message for message in messages_of(response)) and not _requests(org["owner"]).exists()

    due_on = timezone.localdate() + datetime.timedelta(days=14)
    client.post(url, {"due_on": due_on.isoformat(), "note": "Before our Q3 review, please."})
    assert (_requests(org["owner"]).get().due_on, _requests(org["owner"]).get().summary) == (
        due_on,
        "Before our Q3 review, please.",
    )


def test_asking_goes_back_only_to_this_site(client, framework, org, leader):
    response = login_as(client, leader).post(
        reverse("coaching:assessment-request", args=[org["owner"].pk]), {"next": "https://evil.example/"}
    )
    assert response.url == reverse("coaching:person-gaps", args=[org["owner"].pk])


def test_asking_someone_without_a_login_explains_and_asks_nothing(client, framework, org):
    no_login = PersonFactory(manager=org["owner"], team=org["team"])
    response = login_as(client, org["owner"]).post(reverse("coaching:assessment-request", args=[no_login.pk]))
    assert response.status_code == 302 and not _requests(no_login).exists()
    assert any("cannot sign in" in message for message in messages_of(response))


def test_assessment_form_shows_each_required_competency_with_its_anchors(client, framework, org):
    page = login_as(client, org["leader"]).get(reverse("coaching:assessment-record", args=[org["owner"].pk]))
    page = page.content.decode()
    for key in ("coaching", "storytelling", "resilience", "acumen"):
        assert f'data-competency="{key}"' in page
    for level in (1, 2, 3, 4):
        assert getattr(framework["competencies"]["coaching"], f"anchor_{level}") in page
    assert 'data-competency="prospecting"' not in page  # the sellers' role, not owner's


def test_a_leaders_assessment_changes_the_persons_gaps(client, framework, org, leader):
    coaching = framework["competencies"]["coaching"]
    before = {gap.competency.key: gap.gap for gap in gaps_for(org["owner"])}
    evidence = "Asked before telling in every 1:1 I sat in."
    data = {
        "source": "leader",
        "assessed_on": timezone.localdate().isoformat(),
        "summary": "Q3 review.",
        f"level_{coaching.pk}": "3",
        f"evidence_{coaching.pk}": evidence,
    }

    response = login_as(client, leader).post(reverse("coaching:assessment-record", args=[org["owner"].pk]), data)

    assert response.status_code == 302
    assert response.url == reverse("coaching:person-gaps", args=[org["owner"].pk])
    after = {gap.competency.key: gap.gap for gap in gaps_for(org["owner"])}
    assert (before["coaching"], after["coaching"]) == (Decimal(2), Decimal(0))
    assert after["resilience"] == before["resilience"]  # not rated this time: the earlier rating still counts
    page = client.get(response.url).content.decode()
    assert evidence in page


def test_a_manager_records_a_peers_assessment_of_their_seller(client, framework, org):
    prospecting = CompetencyFactory(key="prospecting")
    data = {"source": "peer", "assessed_on": timezone.localdate().isoformat(), f"level_{prospecting.pk}": "1"}
    login_as(client, org["owner"]).post(reverse("coaching:assessment-record", args=[org["seller"].pk]), data)

    assessment = Assessment.objects.get(person=org["seller"])
    assert (assessment.source, assessment.assessor) == (Assessment.Source.PEER, org["owner"].user)
    assert {gap.competency.key: gap.gap for gap in gaps_for(org["seller"])} == {"prospecting": Decimal(1)}


def test_an_assessment_without_any_level_is_refused(client, framework, org, leader):
    data = {"source": "leader", "assessed_on": timezone.localdate().isoformat()}
    response = login_as(client, leader).post(reverse("coaching:assessment-record", args=[org["peer"].pk]), data)
    assert response.status_code == 200 and "Rate at least one competency." in response.content.decode()
    assert not Assessment.objects.filter(person=org["peer"]).exists()


# -- one team page, breadcrumbs for the viewer, "Start a plan" only without a plan ----------------------------


def test_start_a_plan_is_offered_only_to_people_without_an_open_plan(client, coaching_under_way, org):
    login_as(client, org["leader"])
    team = client.get(reverse("coaching:team")).content.decode()
    assert reverse("coaching:plan-create", args=[org["peer"].pk]) in _row(team, org["peer"])  # no plan at all
    assert reverse("coaching:plan-create", args=[org["peer_seller"].pk]) not in team  # a draft waits

    owner_gaps = client.get(reverse("coaching:person-gaps", args=[org["owner"].pk])).content.decode()
    assert reverse("coaching:plan-create", args=[org["owner"].pk]) not in owner_gaps
    assert 'data-testid="open-active-plan"' in owner_gaps
    assert reverse("coaching:plan-detail", args=[coaching_under_way["plan"].pk]) in owner_gaps

    form = client.get(reverse("coaching:plan-create", args=[org["owner"].pk])).content.decode()
    notice = form.split('data-testid="active-plan-notice"')[1].split("</div>")[0]
    assert reverse("coaching:plan-detail", args=[coaching_under_way["plan"].pk]) in notice


def test_team_page_shows_the_headcount_with_who_left(client, coaching_under_way, org):
    gone = PersonFactory(manager=org["leader"], employment_status="terminated")
    page = login_as(client, org["leader"]).get(reverse("coaching:team")).content.decode()
    headcount = page.split('data-testid="headcount"')[1].split("</div>")[0]
    assert "<strong>2</strong> active" in headcount and "<strong>1</strong> left" in headcount
    assert f'data-person="{gone.pk}"' not in page  # counted, not coached


def _crumbs(page: str) -> str:
    return page.split('data-testid="breadcrumb"')[1].split("</nav>")[0]


def test_breadcrumbs_on_a_plan_match_the_viewer(client, coaching_under_way, org):
    """The coachee reads their plan under My development; their coach (the leader) under My team › Name."""
    url = reverse("coaching:plan-detail", args=[coaching_under_way["plan"].pk])
    coachee = _crumbs(login_as(client, org["owner"]).get(url).content.decode())
    assert "My development" in coachee and "My team" not in coachee
    coach = _crumbs(login_as(client, org["leader"]).get(url).content.decode())
    assert "My team" in coach and "My development" not in coach
    assert reverse("coaching:person-gaps", args=[org["owner"].pk]) in coach and org["owner"].full_name in coach


def test_a_leader_reaches_someone_deeper_under_development_gaps(client, framework, org):
    page = login_as(client, org["leader"]).get(reverse("coaching:person-gaps", args=[org["seller"].pk]))
    crumbs = _crumbs(page.content.decode())
    assert "Development gaps" in crumbs and "My team" not in crumbs  # the seller reports to owner, not to them


def test_a_sellers_person_page_opened_from_my_team_leads_to_their_development(client, framework, org):
    development = reverse("coaching:person-gaps", args=[org["seller"].pk])
    page = login_as(client, org["owner"]).get(reverse("enablement:person-detail", args=[org["seller"].pk]))
    links = page.content.decode().split('data-testid="person-links"')[1].split("</div>")[0]
    assert development in links
    # A peer sees the person page of the seller (the directory) but not their development.
    other = login_as(client, org["peer"]).get(reverse("enablement:person-detail", args=[org["seller"].pk]))
    assert other.status_code == 404 or development not in other.content.decode()
