"""The leader's pages through the test client: the gap heatmap (who may see it, what its cells say, its
fixed query count whatever the org's size), the drill-down to people and their evidence, managers
without an active plan, overdue tasks by coach, and the development-activity library."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coaching.models import ActivityKind, Assessment, DevelopmentActivity
from coaching.selectors.plans import LIST_LIMIT
from coaching.services import plans as plan_services
from coaching.services.assessments import LevelInput, assessment_record
from coaching.views.leader import NOT_ASSESSED_SHADE, shade
from enablement.accounts import roles
from managers.services.charters import role_assign
from tests.conftest import build_org, from_built
from tests.enablement.factories import PersonFactory, TeamFactory, UserFactory
from tests.helpers import login_as
from tests.managers.factories import CompetencyFactory, RoleCompetencyFactory, RoleFactory

pytestmark = pytest.mark.django_db

OWNER_EVIDENCE = "Ran the pipeline review as an interrogation; no questions to the seller."
START = datetime.date(2026, 1, 1)


def _assess(person, by, **levels):
    ratings = {CompetencyFactory(key=key): LevelInput(*value) for key, value in levels.items()}
    assessment_record(person=person, source=Assessment.Source.LEADER, by=None, assessor=by.user, ratings=ratings)


def _cell(page: str, row: str, competency: str) -> str:
    row_html = page[page.index(f'data-row="{row}"') :]
    row_html = row_html[: row_html.index("</tr>")]
    cell = row_html[row_html.index(f'data-competency="{competency}"') :]
    return row_html[
        row_html.rindex("<td", 0, len(row_html) - len(cell)) : len(row_html) - len(cell) + cell.index("</td>")
    ]


def _heatmap_org(org) -> dict:
    """Below the leader: owner and peer (Enterprise) and nomad (no team) hold the manager role, which
    requires coaching (3, weight 3) and storytelling (2, weight 1); seller holds the seller role, which
    requires prospecting (2). The leader assessed owner (coaching 1, storytelling 2) and peer (coaching 3);
    nobody assessed nomad or seller. Owner has an active plan the leader coaches, one task overdue.
    Outside the tree: outsider (team Other) holds the manager role too. peer_seller and outsider_seller hold
    no role, have no assessment and no plan."""
    leader = org["leader"]
    role = RoleFactory(code="fsm", name="Frontline Sales Manager")
    RoleCompetencyFactory(role=role, competency=CompetencyFactory(key="coaching"), required_level=3, weight=3)
    RoleCompetencyFactory(role=role, competency=CompetencyFactory(key="storytelling"), required_level=2, weight=1)
    seller_role = RoleFactory(code="ae", name="Account Executive")
    RoleCompetencyFactory(role=seller_role, competency=CompetencyFactory(key="prospecting"), required_level=2)
    nomad = PersonFactory(user=UserFactory(username="nomad"), manager=leader, first_name="Noa", last_name="Nomad")
    other = TeamFactory(name="Other")
    org["outsider"].team = other
    org["outsider"].save(update_fields=["team"])
    for person in (org["owner"], org["peer"], nomad, org["outsider"]):
        role_assign(person=person, role=role, on=START, by=None)
    role_assign(person=org["seller"], role=seller_role, on=START, by=None)
    _assess(org["owner"], leader, coaching=(Decimal(1), OWNER_EVIDENCE), storytelling=(Decimal(2),))
    _assess(org["peer"], leader, coaching=(Decimal(3), "Coaches weekly."))
    _assess(org["outsider"], org["outsider"], coaching=(Decimal(1), "Outside the leader's tree."))
    plan = plan_services.plan_create(coachee=org["owner"], coach=leader, by=leader.user, title="Coach more")
    plan_services.plan_activate(plan=plan, by=leader.user)
    plan_services.task_add(
        plan=plan,
        title="Late",
        kind=ActivityKind.PRACTICE,
        assignee=org["owner"],
        due_on=timezone.localdate() - datetime.timedelta(days=3),
        by=leader.user,
    )
    return {"nomad": nomad, "other": other, "role": role}


@pytest.fixture(scope="module", autouse=True)
def built(module_db) -> dict:
    """The org and `heatmap_org`, built once for the module; each test reads its own copy. Every test of the
    module sees them, including those that do not ask for `heatmap_org` (the library's and the one at scale,
    which has a leader of its own)."""
    org = build_org()
    return {"org": org, "heatmap_org": _heatmap_org(org)}


org = from_built("org")
heatmap_org = from_built("heatmap_org")


# -- who may see the heatmap --------------------------------------------------------------------------


def _heatmap_urls(org) -> list[str]:
    coaching = CompetencyFactory(key="coaching")
    return [
        reverse("coaching:heatmap"),
        reverse("coaching:heatmap-under", args=[org["owner"].pk]),
        reverse("coaching:heatmap-cell", args=[org["owner"].pk, coaching.pk]),
        reverse("coaching:heatmap-cell", args=["all", coaching.pk]),
    ]


def test_heatmap_sends_anonymous_to_login(client, heatmap_org, org):
    for url in _heatmap_urls(org):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["seller", "owner", "outsider", "hr_admin", "recruiter"])
def test_heatmap_is_refused_to_all_but_sales_leaders_over_someone(client, request, heatmap_org, org, persona):
    """A seller, a sales manager (not a sales leader), HR and recruiters: 403 on the heatmap and its cells."""
    user = request.getfixturevalue(persona) if persona in ("hr_admin", "recruiter") else org[persona].user
    login_as(client, user)
    for url in _heatmap_urls(org):
        assert client.get(url).status_code == 403


def test_heatmap_refuses_the_wrong_method(client, heatmap_org, org):
    login_as(client, org["leader"])
    for url in _heatmap_urls(org):
        assert client.post(url).status_code == 405


def test_a_person_outside_the_leaders_tree_does_not_exist_for_them(client, heatmap_org, org):
    coaching = CompetencyFactory(key="coaching")
    login_as(client, org["leader"])
    assert client.get(reverse("coaching:heatmap-cell", args=[org["outsider"].pk, coaching.pk])).status_code == 404
    assert client.get(reverse("coaching:heatmap-under", args=[org["outsider"].pk])).status_code == 404
    assert client.get(reverse("coaching:heatmap-under", args=[org["leader"].pk])).status_code == 404  # not below
    assert client.get(reverse("coaching:heatmap-cell", args=["enterprise", coaching.pk])).status_code == 404
    assert client.get(reverse("coaching:heatmap-cell", args=[org["owner"].pk, 999999])).status_code == 404


# -- what it shows ------------------------------------------------------------------------------------


def test_heatmap_has_a_row_per_direct_report_over_their_sub_tree_and_an_average_row(client, heatmap_org, org):
    page = login_as(client, org["leader"]).get(reverse("coaching:heatmap")).content.decode()
    owner, peer, nomad = (
        str(org[name].pk) if name != "nomad" else str(heatmap_org["nomad"].pk) for name in ("owner", "peer", "nomad")
    )

    assert page.count('data-testid="cell"') == 3 * 2 + 1  # owner and peer: 2 manager cells + the seller's
    coaching = _cell(page, owner, "coaching")  # owner 1 against 3
    assert 'data-gap="2.00"' in coaching and "gap-shade-4" in coaching
    assert reverse("coaching:heatmap-cell", args=[org["owner"].pk, CompetencyFactory(key="coaching").pk]) in coaching
    storytelling = _cell(page, owner, "storytelling")  # owner 2 against 2: the palest shade
    assert 'data-gap="0.00"' in storytelling and "gap-shade-0" in storytelling
    prospecting = _cell(page, owner, "prospecting")  # the seller below owner, not assessed
    assert "0 of 1 assessed" in prospecting and NOT_ASSESSED_SHADE in prospecting
    assert "not required" in _cell(page, peer, "prospecting")  # peer_seller holds no role
    assert "0 of 1 assessed" in _cell(page, nomad, "coaching")
    average = _cell(page, "average", "coaching")  # owner 2, peer 0, nomad not assessed
    assert 'data-gap="1.00"' in average and "2 of 3 assessed" in average and "gap-shade-3" in average
    assert reverse("coaching:heatmap-cell", args=["all", CompetencyFactory(key="coaching").pk]) in average
    assert reverse("coaching:heatmap-under", args=[org["owner"].pk]) in page  # owner has someone below
    assert reverse("coaching:heatmap-under", args=[heatmap_org["nomad"].pk]) not in page  # nomad has nobody
    assert f'data-row="{org["outsider"].pk}"' not in page and "Outside the leader's tree." not in page
    assert f'data-row="{org["seller"].pk}"' not in page  # below a row, not a row


def test_heatmap_drills_down_into_a_direct_report(client, heatmap_org, org):
    page = login_as(client, org["leader"]).get(reverse("coaching:heatmap-under", args=[org["owner"].pk]))
    page = page.content.decode()
    assert f'data-row="{org["owner"].pk}"' in page and "own gaps" in page  # owner's own row first
    assert f'data-row="{org["seller"].pk}"' in page
    assert f'data-row="{org["peer"].pk}"' not in page
    assert 'data-gap="2.00"' in _cell(page, "average", "coaching")  # only owner is assessed on it
    assert reverse("coaching:heatmap-cell", args=[org["owner"].pk, CompetencyFactory(key="coaching").pk]) in page


@pytest.mark.parametrize(
    ("gap", "css"),
    [
        (None, NOT_ASSESSED_SHADE),
        ("0", "gap-shade-0"),
        ("0.25", "gap-shade-1"),
        ("0.5", "gap-shade-2"),
        ("1", "gap-shade-3"),
        ("1.49", "gap-shade-3"),
        ("1.5", "gap-shade-4"),
        ("3", "gap-shade-4"),
    ],
)
def test_heatmap_shades_a_cell_by_its_average_gap(gap, css):
    assert shade(None if gap is None else Decimal(gap)) == css


def test_heatmap_legend_uses_the_cells_shades_from_no_gap_to_the_largest(client, heatmap_org, org):
    page = login_as(client, org["leader"]).get(reverse("coaching:heatmap")).content.decode()
    legend = page.split('data-testid="legend"')[1].split("</p>")[0]
    shades = [f"gap-shade-{n}" for n in range(5)]
    assert [legend.index(css) for css in shades] == sorted(legend.index(css) for css in shades)
    assert "no gap" in legend.split("gap-shade-0")[1].split("</span>")[0]


def test_drill_down_shows_each_persons_gap_and_evidence(client, heatmap_org, org, leader):
    coaching = CompetencyFactory(key="coaching")
    manager = PersonFactory(manager=org["owner"], first_name="Sub", last_name="Manager")
    role_assign(person=manager, role=heatmap_org["role"], on=START, by=None)
    page = login_as(client, org["leader"]).get(reverse("coaching:heatmap-cell", args=["all", coaching.pk]))
    page = page.content.decode()

    owner = page[page.index(f'data-person="{org["owner"].pk}"') :]
    owner = owner[: owner.index("</tr>")]
    assert OWNER_EVIDENCE in owner and 'data-testid="gap"><strong>2<' in owner and 'data-source="leader"' in owner
    assert reverse("coaching:person-gaps", args=[org["owner"].pk]) in owner
    assert f'data-person="{org["peer"].pk}"' in page and "Coaches weekly." in page
    assert page.index(f'data-person="{org["owner"].pk}"') < page.index(f'data-person="{org["peer"].pk}"')
    assert "Outside the leader's tree." not in page
    assert f'data-person="{heatmap_org["nomad"].pk}"' in page and 'data-testid="not-assessed"' in page

    one_row = client.get(reverse("coaching:heatmap-cell", args=[org["owner"].pk, coaching.pk])).content.decode()
    assert f'data-person="{org["owner"].pk}"' in one_row and f'data-person="{manager.pk}"' in one_row
    assert (
        f'data-person="{org["peer"].pk}"' not in one_row and f'data-person="{heatmap_org["nomad"].pk}"' not in one_row
    )


def test_drill_down_shows_a_bounded_page_of_people(client, heatmap_org, org, monkeypatch):
    from coaching.views import leader as leader_views

    monkeypatch.setattr(leader_views, "DRILL_DOWN_PAGE_SIZE", 2)
    coaching = CompetencyFactory(key="coaching")
    login_as(client, org["leader"])
    first = client.get(reverse("coaching:heatmap-cell", args=["all", coaching.pk])).content.decode()
    second = client.get(reverse("coaching:heatmap-cell", args=["all", coaching.pk]) + "?page=2").content.decode()
    assert first.count("<tr data-person=") == 2 and second.count("<tr data-person=") == 1
    assert "Page 1 of 2" in first
    assert f'data-person="{org["owner"].pk}"' in first and f'data-person="{heatmap_org["nomad"].pk}"' in second


def test_heatmap_lists_managers_without_an_active_plan_and_overdue_tasks_by_coach(client, heatmap_org, org):
    page = login_as(client, org["leader"]).get(reverse("coaching:heatmap")).content.decode()

    without = page.split('data-testid="without-plan"')[1].split("</table>")[0]
    assert f'data-person="{org["peer"].pk}"' in without  # manages peer_seller, holds a role, no plan
    assert reverse("coaching:plan-create", args=[org["peer"].pk]) in without
    for person in (org["owner"], org["outsider"], org["leader"], org["seller"], heatmap_org["nomad"]):
        assert f'data-person="{person.pk}"' not in without  # a plan, outside, not below, manages nobody
    overdue = page.split('data-testid="overdue-by-coach"')[1].split("</table>")[0]
    assert f'data-person="{org["leader"].pk}"' in overdue and '<span class="badge text-bg-danger">1</span>' in overdue


def _managers(director, coach, role, competencies, start: int, count: int) -> None:
    """`count` managers reporting to `director`, each leading one seller, holding `role`, assessed by `coach`
    (one in three left unassessed); every other one with an active plan `coach` coaches and an overdue task."""
    for index in range(start, start + count):
        person = PersonFactory(user=UserFactory(username=f"manager{index}"), manager=director)
        PersonFactory(manager=person)
        role_assign(person=person, role=role, on=START, by=None)
        if index % 3:
            ratings = {
                competency: LevelInput(Decimal(1 + (index + n) % 4), f"Seen {index}")
                for n, competency in enumerate(competencies)
            }
            assessment_record(person=person, source=Assessment.Source.LEADER, by=coach.user, ratings=ratings)
        if index % 2:
            plan = plan_services.plan_create(coachee=person, coach=coach, by=None)
            plan_services.plan_activate(plan=plan, by=None)
            plan_services.task_add(
                plan=plan,
                title="Late",
                kind=ActivityKind.PRACTICE,
                assignee=person,
                due_on=timezone.localdate() - datetime.timedelta(days=1),
                by=None,
            )


def test_heatmap_renders_a_fixed_number_of_rows_and_queries_whatever_the_org_size(client, django_assert_num_queries):
    """Given two directors with 2 managers each, the leader's heatmap has 2 rows and the average; with 30
    managers each it still has 2 rows and the average, in the same number of queries; the lists below it
    show at most LIST_LIMIT people and say how many more there are. The leader is one of this test's own:
    the module's leader has the heatmap org below them."""
    leader = PersonFactory(user=UserFactory(username="scale_leader", roles=[roles.SALES_LEADER]), title="Sales VP")
    role = RoleFactory(code="fsm-scale")
    competencies = [CompetencyFactory(key=f"skill-{n}") for n in range(5)]
    for competency in competencies:
        RoleCompetencyFactory(role=role, competency=competency, required_level=3, weight=2)
    directors = [PersonFactory(manager=leader, last_name=f"Director {n}") for n in range(2)]
    for number, director in enumerate(directors):
        _managers(director, leader, role, competencies, number * 100, 2)
    url = reverse("coaching:heatmap")
    login_as(client, leader).get(url)  # the session warmed
    with CaptureQueriesContext(connection) as small:
        page = client.get(url).content.decode()
    assert page.count('data-testid="cell"') == 2 * 5 and page.count('data-testid="average-cell"') == 5
    assert page.count("<tr data-row=") == 2

    for number, director in enumerate(directors):
        _managers(director, leader, role, competencies, number * 100 + 2, 28)
    with django_assert_num_queries(len(small.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count('data-testid="cell"') == 2 * 5 and page.count("<tr data-row=") == 2
    assert "30 people with a role" in page
    without = page.split('data-testid="without-plan"')[1]
    assert without.split("</table>")[0].count("Start a plan") == LIST_LIMIT  # 30 of the 60 have no plan
    assert "and 10 more" in without
    assert '<span class="badge text-bg-danger">30</span>' in page.split('data-testid="overdue-by-coach"')[1]
    assert len(small.captured_queries) <= 20

    drilled = client.get(reverse("coaching:heatmap-under", args=[directors[0].pk])).content.decode()
    assert drilled.count("<tr data-row=") == 30  # a director's managers, one row each


# -- the activity library -----------------------------------------------------------------------------


@pytest.fixture
def library(db):
    coaching = CompetencyFactory(key="coaching")
    active = DevelopmentActivity.objects.create(competency=coaching, kind=ActivityKind.PRACTICE, title="Role plays")
    retired = DevelopmentActivity.objects.create(
        competency=coaching, kind=ActivityKind.READING, title="An old book", is_active=False
    )
    return {"coaching": coaching, "active": active, "retired": retired}


def test_library_is_read_by_coaches_and_leaders_retired_activities_by_leaders(client, org, library):
    page = login_as(client, org["owner"]).get(reverse("coaching:activity-list")).content.decode()
    assert "Role plays" in page and "An old book" not in page
    assert reverse("coaching:activity-edit", args=[library["active"].pk]) not in page

    page = login_as(client, org["leader"]).get(reverse("coaching:activity-list")).content.decode()
    assert "Role plays" in page and "An old book" in page and 'data-testid="retired"' in page
    assert reverse("coaching:activity-edit", args=[library["active"].pk]) in page


@pytest.mark.parametrize("persona", ["seller", "hr_admin", "recruiter"])
def test_library_is_refused_to_who_neither_coaches_nor_leads(client, request, org, library, persona):
    user = request.getfixturevalue(persona) if persona != "seller" else org["seller"].user
    assert login_as(client, user).get(reverse("coaching:activity-list")).status_code == 403


def test_library_pages_send_anonymous_to_login_and_refuse_the_wrong_method(client, org, library):
    urls = [
        reverse("coaching:activity-list"),
        reverse("coaching:activity-create"),
        reverse("coaching:activity-edit", args=[library["active"].pk]),
    ]
    for url in urls:
        assert client.get(url).url.startswith(reverse("login"))
    login_as(client, org["leader"])
    assert client.post(urls[0]).status_code == 405
    assert client.delete(urls[1]).status_code == 405 and client.delete(urls[2]).status_code == 405


def test_only_sales_leaders_write_the_library(client, org, library):
    login_as(client, org["owner"])
    edit = reverse("coaching:activity-edit", args=[library["active"].pk])
    assert client.get(reverse("coaching:activity-create")).status_code == 403
    assert client.post(reverse("coaching:activity-create"), {"title": "Mine"}).status_code == 403
    assert client.post(edit, {"title": "Renamed"}).status_code == 403
    assert DevelopmentActivity.objects.get(pk=library["active"].pk).title == "Role plays"


def test_a_leader_adds_an_activity(client, org, library):
    data = {
        "competency": library["coaching"].pk,
        "kind": ActivityKind.SHADOWING,
        "title": "Shadow Kim's 1:1s",
        "description": "Two sessions.",
        "duration_days": "21",
    }
    response = login_as(client, org["leader"]).post(reverse("coaching:activity-create"), data)

    assert response.status_code == 302 and response.url == reverse("coaching:activity-list")
    activity = DevelopmentActivity.objects.get(title="Shadow Kim's 1:1s")
    assert (activity.competency, activity.kind, activity.duration_days, activity.is_active) == (
        library["coaching"],
        ActivityKind.SHADOWING,
        21,
        True,
    )


def test_the_same_activity_twice_for_a_competency_is_refused(client, org, library):
    data = {
        "competency": library["coaching"].pk,
        "kind": ActivityKind.PRACTICE,
        "title": "Role plays",
        "duration_days": "14",
    }
    response = login_as(client, org["leader"]).post(reverse("coaching:activity-create"), data)
    assert response.status_code == 200 and "already exists" in response.content.decode()
    assert DevelopmentActivity.objects.filter(title="Role plays").count() == 1


def test_a_retired_activity_is_kept_but_no_longer_suggested(client, org, library, leader):
    """The coachee is peer_seller, whom the module's heatmap org leaves without a role, assessment or plan."""
    data = {"kind": ActivityKind.PRACTICE, "title": "Role plays", "description": "", "duration_days": "14"}
    response = login_as(client, leader).post(reverse("coaching:activity-edit", args=[library["active"].pk]), data)

    assert response.status_code == 302
    assert DevelopmentActivity.objects.get(pk=library["active"].pk).is_active is False  # unticked: retired
    role = RoleFactory(code="fsm-library")
    RoleCompetencyFactory(role=role, competency=library["coaching"], required_level=3, weight=1)
    role_assign(person=org["peer_seller"], role=role, on=START, by=None)
    _assess(org["peer_seller"], leader, coaching=(Decimal(1),))
    plan = plan_services.plan_start_from_gaps(coachee=org["peer_seller"], coach=leader, by=leader.user)
    assert plan.goals.count() == 1 and not plan.tasks.exists()
    page = client.get(reverse("coaching:activity-list")).content.decode()
    assert page.count('data-testid="retired"') == 2


def test_heatmap_offers_the_waiting_draft_instead_of_a_second_plan(client, heatmap_org, org):
    from coaching.services.plans import plan_create

    draft = plan_create(coachee=org["peer"], coach=org["leader"], by=org["leader"].user)
    page = login_as(client, org["leader"]).get(reverse("coaching:heatmap")).content.decode()
    row = page.split(f'data-person="{org["peer"].pk}"')[1].split("</tr>")[0]
    assert reverse("coaching:plan-detail", args=[draft.pk]) in row
    assert reverse("coaching:plan-create", args=[org["peer"].pk]) not in row


def test_overdue_tasks_by_coach_counts_only_the_leaders_tree_in_two_queries(
    heatmap_org, org, django_assert_num_queries
):
    """The outsider's plan (outside the leader's tree) has overdue tasks too: they are not counted."""
    from coaching.selectors.plans import overdue_tasks_by_coach

    outside = plan_services.plan_create(coachee=org["outsider_seller"], coach=org["outsider"], by=None)
    plan_services.plan_activate(plan=outside, by=None)
    for _ in range(3):
        plan_services.task_add(
            plan=outside,
            title="Late",
            kind=ActivityKind.PRACTICE,
            assignee=org["outsider_seller"],
            due_on=timezone.localdate() - datetime.timedelta(days=2),
            by=None,
        )
    with django_assert_num_queries(2):  # the counts over the tree's overdue tasks, then the coaches
        coaches = overdue_tasks_by_coach(user=org["leader"].user)
    assert [(coach.pk, coach.overdue) for coach in coaches] == [(org["leader"].pk, 1)]


def test_overdue_tasks_by_coach_walks_the_tree_once_over_the_plan_index(heatmap_org, org):
    """Given the leader's tree, when the overdue counts are read, then on PostgreSQL the tree walk is evaluated
    once (`= ANY(ARRAY(...))`), never a semi join the planner may rescan for every plan, and each plan's open
    overdue tasks have an index of their own (without them: 550 ms on the large org, 20 ms with)."""
    from coaching.selectors.plans import overdue_tasks_by_coach

    with CaptureQueriesContext(connection) as queries:
        overdue_tasks_by_coach(user=org["leader"].user)
    counts = queries.captured_queries[0]["sql"]
    assert "= ANY(ARRAY(" in counts if connection.vendor == "postgresql" else " IN (SELECT " in counts
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "coaching_coachingtask").values()
    assert any(index["index"] and index["columns"] == ["plan_id", "state", "due_on"] for index in indexes)
