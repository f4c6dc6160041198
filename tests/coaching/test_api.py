"""The coaching API under /api/v1/: who sees and changes which plans, goals, tasks, sessions and
assessments (the rule of `coaching.policy`, as on the pages), that every change goes through the
services' rules, token scopes, and list endpoints whose query count does not grow."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from coaching.models import ActivityKind, Assessment, CoachingPlan, CoachingSession, CoachingTask, Goal
from coaching.selectors.gaps import gaps_for
from coaching.services import plans as services
from coaching.services.assessments import LevelInput, assessment_record
from managers.services.charters import role_assign
from tests.conftest import build_org, from_built
from tests.enablement.factories import UserFactory
from tests.helpers import api_client
from tests.managers.factories import CompetencyFactory, RoleCompetencyFactory, RoleFactory

pytestmark = pytest.mark.django_db

COACH_OF = {"owner": "leader", "seller": "owner", "peer": "leader", "peer_seller": "peer"}
# Whose plans (and assessments) each persona sees: their own, the people they coach, their sub-tree.
VISIBLE = {
    "owner": {"owner", "seller"},
    "leader": {"owner", "seller", "peer", "peer_seller"},
    "peer": {"peer", "peer_seller"},
    "seller": {"seller"},
    "outsider": set(),
}
LISTS = ("plan-list", "goal-list", "task-list", "session-list", "assessment-list")


@dataclass(frozen=True)
class FakeToken:
    """What the API-token issue will put in `request.auth`: a credential with scopes."""

    scopes: frozenset[str]


def _rows(response) -> list[dict]:
    assert response.status_code == 200, response.data
    return response.data["results"]


def _today() -> datetime.date:
    return timezone.localdate()


def _days(count: int) -> datetime.date:
    return _today() + datetime.timedelta(days=count)


def _add_plan(org, coachee: str, title: str = "", coach: str = "") -> dict:
    """A draft plan of `coachee` with their coach (by default as in COACH_OF): a goal, a task for the coachee,
    and a 1:1 whose next step is a second task for the coachee."""
    coach = org[coach or COACH_OF[coachee]]
    plan = services.plan_create(coachee=org[coachee], coach=coach, by=coach.user, title=title or f"Plan of {coachee}")
    goal = services.goal_add(plan=plan, title="Run better 1:1s", due_on=_days(30), by=coach.user, target_level=3)
    task = services.task_add(
        plan=plan,
        title="Shadow a top coach",
        kind=ActivityKind.SHADOWING,
        assignee=org[coachee],
        due_on=_days(7),
        by=coach.user,
        goal=goal,
    )
    step = services.NextStep("Book a call review", _days(14), org[coachee])
    session = services.session_record(plan=plan, held_on=_today(), notes="Kick-off.", by=coach.user, next_steps=[step])
    return {"plan": plan, "goal": goal, "task": task, "session": session}


def _assess(person, by, competencies, **levels) -> Assessment:
    ratings = {competencies[key]: LevelInput(Decimal(str(level)), f"Seen on {key}.") for key, level in levels.items()}
    return assessment_record(person=person, source=Assessment.Source.LEADER, by=by.user, ratings=ratings)


@pytest.fixture(scope="module", autouse=True)
def built(module_db) -> dict:
    """The org, `competencies` and `world`, built once for the module; each test reads its own copy.

    `competencies`: `owner` holds a role requiring coaching (level 3, weight 3) and storytelling (2, weight 1).
    `world`: a plan for each of owner (coach leader), seller (coach owner), peer (coach leader) and peer_seller
    (coach peer); a leader's assessment of owner (coaching 2) and peer, owner's of seller, peer's of
    peer_seller; and owner's hiring assessment, which owner does not see. `outsider` and `outsider_seller` have
    neither plans nor assessments."""
    org = build_org()
    role = RoleFactory(code="fsm")
    competencies = {key: CompetencyFactory(key=key) for key in ("coaching", "storytelling")}
    RoleCompetencyFactory(role=role, competency=competencies["coaching"], required_level=3, weight=3)
    RoleCompetencyFactory(role=role, competency=competencies["storytelling"], required_level=2, weight=1)
    role_assign(person=org["owner"], role=role, on=datetime.date(2026, 1, 1), by=None)
    plans = {coachee: _add_plan(org, coachee) for coachee in COACH_OF}
    assessments = {
        coachee: _assess(org[coachee], org[COACH_OF[coachee]], competencies, coaching=2) for coachee in COACH_OF
    }
    hiring = Assessment.objects.create(person=org["owner"], source=Assessment.Source.HIRING, assessed_on=_today())
    world = {"plans": plans, "assessments": assessments, "hiring": hiring}
    return {"org": org, "competencies": competencies, "world": world}


org = from_built("org")
competencies = from_built("competencies")
world = from_built("world")


def _coachees(org, world, name: str, rows: list[dict]) -> set[str]:
    """The personas the rows of a list belong to."""
    by_person = {org[key].pk: key for key in COACH_OF}
    by_plan = {objects["plan"].pk: coachee for coachee, objects in world["plans"].items()}
    if name == "plan-list":
        return {by_person[row["coachee"]["id"]] for row in rows}
    if name == "assessment-list":
        return {by_person[row["person"]["id"]] for row in rows}
    return {by_plan[row["plan"]["id"]] for row in rows}


# Who sees what.


def test_every_coaching_endpoint_refuses_anonymous(world):
    objects = world["plans"]["seller"]
    requests = [("get", reverse(name)) for name in LISTS] + [
        ("post", reverse(name)) for name in LISTS if name != "goal-list"
    ]
    requests += [
        ("get", reverse("plan-detail", args=[objects["plan"].pk])),
        ("post", reverse("plan-activate", args=[objects["plan"].pk])),
        ("get", reverse("goal-detail", args=[objects["goal"].pk])),
        ("patch", reverse("goal-detail", args=[objects["goal"].pk])),
        ("get", reverse("task-detail", args=[objects["task"].pk])),
        ("post", reverse("task-complete", args=[objects["task"].pk])),
        ("get", reverse("session-detail", args=[objects["session"].pk])),
        ("get", reverse("assessment-detail", args=[world["assessments"]["seller"].pk])),
    ]
    for method, url in requests:
        assert getattr(api_client(), method)(url, {}, format="json").status_code == 401, (method, url)
    assert CoachingTask.objects.get(pk=objects["task"].pk).state == CoachingTask.State.TODO


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_lists_follow_the_coaching_rule(org, world, persona, name):
    """A manager sees their own plan and those of the people they coach, not their peers'; a leader their
    whole sub-tree; a seller their own; a manager of another branch nothing."""
    rows = _rows(api_client(org[persona].user).get(reverse(name)))
    assert _coachees(org, world, name, rows) == VISIBLE[persona]


def test_owner_does_not_see_their_hiring_assessment_but_their_leader_does(org, world):
    hiring = world["hiring"].pk
    assert api_client(org["owner"].user).get(reverse("assessment-detail", args=[hiring])).status_code == 404
    assert api_client(org["leader"].user).get(reverse("assessment-detail", args=[hiring])).status_code == 200


@pytest.mark.parametrize(
    ("persona", "coachee"),
    [("owner", "peer"), ("owner", "peer_seller"), ("seller", "owner"), ("outsider", "seller"), ("peer", "owner")],
)
def test_what_is_not_visible_is_a_404(org, world, persona, coachee):
    client, objects = api_client(org[persona].user), world["plans"][coachee]
    urls = [
        reverse("plan-detail", args=[objects["plan"].pk]),
        reverse("goal-detail", args=[objects["goal"].pk]),
        reverse("task-detail", args=[objects["task"].pk]),
        reverse("session-detail", args=[objects["session"].pk]),
        reverse("assessment-detail", args=[world["assessments"][coachee].pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("plan-activate", args=[objects["plan"].pk])).status_code == 404
    assert client.post(reverse("task-complete", args=[objects["task"].pk])).status_code == 404
    assert client.patch(urls[1], {"note": "Mine now."}, format="json").status_code == 404
    assert CoachingPlan.objects.get(pk=objects["plan"].pk).state == CoachingPlan.State.DRAFT
    assert CoachingTask.objects.get(pk=objects["task"].pk).state == CoachingTask.State.TODO
    assert Goal.objects.get(pk=objects["goal"].pk).note == ""


def test_details_show_progress_ratings_and_next_steps(org, world, competencies):
    leader, objects = api_client(org["leader"].user), world["plans"]["seller"]
    services.task_complete(task=objects["task"], by=org["seller"].user)
    plan = leader.get(reverse("plan-detail", args=[objects["plan"].pk])).data
    assert (plan["coachee"]["id"], plan["coach"]["id"], plan["state"]) == (org["seller"].pk, org["owner"].pk, "draft")
    # 1 done task of (1 goal + 2 tasks)
    assert (plan["progress"], plan["goals_count"], plan["tasks_count"], plan["tasks_done"]) == (33, 1, 2, 1)
    assessment = leader.get(reverse("assessment-detail", args=[world["assessments"]["seller"].pk])).data
    assert assessment["ratings"] == [
        {
            "competency": "coaching",
            "name": competencies["coaching"].name,
            "level": "2.00",
            "evidence": "Seen on coaching.",
        }
    ]
    session = leader.get(reverse("session-detail", args=[objects["session"].pk])).data
    assert [(step["title"], step["assignee"]["id"]) for step in session["next_steps"]] == [
        ("Book a call review", org["seller"].pk)
    ]


# Filters.


def test_list_filters(org, world):
    leader, seller_plan = api_client(org["leader"].user), world["plans"]["seller"]["plan"]
    services.task_complete(task=world["plans"]["seller"]["task"], by=org["seller"].user)
    coachees = _rows(leader.get(reverse("plan-list"), {"coachee": org["peer"].pk}))
    assert [row["coachee"]["id"] for row in coachees] == [org["peer"].pk]
    assert _rows(leader.get(reverse("plan-list"), {"state": "active"})) == []
    assert {row["plan"]["id"] for row in _rows(leader.get(reverse("goal-list"), {"plan": seller_plan.pk}))} == {
        seller_plan.pk
    }
    done = _rows(leader.get(reverse("task-list"), {"plan": seller_plan.pk, "state": "done"}))
    assert [row["id"] for row in done] == [world["plans"]["seller"]["task"].pk]
    by_assignee = _rows(leader.get(reverse("task-list"), {"assignee": org["peer"].pk}))
    assert {row["plan"]["id"] for row in by_assignee} == {world["plans"]["peer"]["plan"].pk}
    # Each plan has a task due in 7 days and a next step due in 14.
    soon = _rows(leader.get(reverse("task-list"), {"due_before": _days(14).isoformat()}))  # strictly before
    assert {row["title"] for row in soon} == {"Shadow a top coach"} and len(soon) == 4
    sessions = _rows(leader.get(reverse("session-list"), {"plan": seller_plan.pk}))
    assert [row["id"] for row in sessions] == [world["plans"]["seller"]["session"].pk]
    by_person = _rows(leader.get(reverse("assessment-list"), {"person": org["owner"].pk, "source": "hiring"}))
    assert [row["id"] for row in by_person] == [world["hiring"].pk]


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("plan-list", {"state": "finished"}),
        ("plan-list", {"coachee": "me"}),
        ("task-list", {"due_before": "next week"}),
        ("task-list", {"state": "open"}),
        ("goal-list", {"plan": "-1"}),
        ("assessment-list", {"source": "gossip"}),
    ],
)
def test_bad_filters_are_a_400_naming_the_parameter(org, world, name, params):
    response = api_client(org["leader"].user).get(reverse(name), params)
    assert response.status_code == 400
    assert set(response.data["errors"]) == set(params)


# Assessments.


def _assessment_body(person, **overrides) -> dict:
    body = {
        "person": person.pk,
        "source": "leader",
        "assessed_on": _today().isoformat(),
        "period_start": "2026-01-01",
        "period_end": "2026-06-30",
        "summary": "Coaches well now.",
        "ratings": [
            {"competency": "coaching", "level": "3", "evidence": "Asked before telling in three 1:1s."},
            {"competency": "storytelling", "level": "1.5", "evidence": "Leads with features."},
        ],
    }
    return {**body, **overrides}


def test_an_assessment_posted_by_the_leader_changes_the_gaps(org, world):
    """Given owner's coaching gap of 1 and storytelling not assessed, when the leader posts a newer
    assessment, then the gaps follow it."""
    owner = org["owner"]
    assert {gap.competency.key: gap.gap for gap in gaps_for(owner)} == {"coaching": 1, "storytelling": None}
    response = api_client(org["leader"].user).post(reverse("assessment-list"), _assessment_body(owner), format="json")
    assert response.status_code == 201, response.data
    assert (response.data["person"]["id"], response.data["status"], response.data["assessor"]["id"]) == (
        owner.pk,
        "submitted",
        org["leader"].user.pk,
    )
    assert [(row["competency"], row["level"]) for row in response.data["ratings"]] == [
        ("coaching", "3.00"),
        ("storytelling", "1.50"),
    ]
    assert {gap.competency.key: gap.gap for gap in gaps_for(owner)} == {"coaching": 0, "storytelling": Decimal("0.50")}


@pytest.mark.parametrize(
    ("persona", "about", "expected"),
    [("peer", "owner", 404), ("seller", "owner", 404), ("outsider", "seller", 404), ("owner", "owner", 403)],
)
def test_only_a_leader_above_assesses(org, world, persona, about, expected):
    before = Assessment.objects.count()
    body = _assessment_body(org[about])
    response = api_client(org[persona].user).post(reverse("assessment-list"), body, format="json")
    assert response.status_code == expected
    assert Assessment.objects.count() == before


def test_a_manager_assesses_the_people_they_lead(org, world):
    body = _assessment_body(org["seller"], source="peer")
    assert api_client(org["owner"].user).post(reverse("assessment-list"), body, format="json").status_code == 201
    assert Assessment.objects.filter(person=org["seller"], source="peer").exists()


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"ratings": [{"competency": "coaching", "level": "5"}]}, "ratings"),
        ({"ratings": [{"competency": "no-such-key", "level": "2"}]}, "ratings"),
        ({"ratings": [{"competency": "retired", "level": "2"}]}, "ratings"),
        ({"ratings": [{"competency": "coaching", "level": "2"}, {"competency": "coaching", "level": "3"}]}, "ratings"),
        ({"ratings": []}, "ratings"),
        ({"source": "hiring"}, "source"),
        ({"source": "gossip"}, "source"),
        ({"period_start": "2026-07-01"}, "period_end"),
    ],
    ids=[
        "level 5",
        "unknown competency",
        "retired competency",
        "rated twice",
        "no rating",
        "hiring",
        "unknown source",
        "period reversed",
    ],
)
def test_a_bad_assessment_is_a_400_and_writes_nothing(org, world, override, field):
    CompetencyFactory(key="retired", is_active=False)
    before = (Assessment.objects.count(), Assessment.objects.filter(ratings__isnull=False).count())
    body = _assessment_body(org["owner"], **override)
    response = api_client(org["leader"].user).post(reverse("assessment-list"), body, format="json")
    assert response.status_code == 400
    assert field in response.data["errors"], response.data
    assert (Assessment.objects.count(), Assessment.objects.filter(ratings__isnull=False).count()) == before


def test_level_5_names_the_rating_and_the_field(org, world):
    body = _assessment_body(
        org["owner"], ratings=[{"competency": "coaching", "level": "2"}, {"competency": "storytelling", "level": "5"}]
    )
    response = api_client(org["leader"].user).post(reverse("assessment-list"), body, format="json")
    assert response.status_code == 400
    # Errors of a list are keyed by the index of the row they are about.
    assert response.json()["errors"] == {"ratings": {"1": {"level": ["Ensure this value is less than or equal to 4."]}}}
    assert (response.json()["status"], response.json()["code"]) == (400, "invalid")


def test_an_hr_system_posts_an_assessment_with_a_write_token(org, world):
    """A machine client is, until its tokens exist, a coaching:write token on a superuser account."""
    system = UserFactory(username="hr-system", is_superuser=True)
    read_only = api_client(system, token=FakeToken(frozenset({"coaching:read"})))
    body = _assessment_body(org["peer_seller"], source="survey")
    assert read_only.post(reverse("assessment-list"), body, format="json").status_code == 403
    writer = api_client(system, token=FakeToken(frozenset({"coaching:read", "coaching:write"})))
    response = writer.post(reverse("assessment-list"), body, format="json")
    assert response.status_code == 201, response.data
    assert Assessment.objects.get(pk=response.data["id"]).assessor == system


# Plans.


def test_a_leader_starts_a_plan_from_the_gaps(org, world):
    """owner's only known gap is coaching (required 3, assessed 2): the plan gets one goal for it, and
    the leader, who posted it, is the coach."""
    response = api_client(org["leader"].user).post(
        reverse("plan-list"), {"coachee": org["owner"].pk, "from_gaps": True, "title": "Q3 growth"}, format="json"
    )
    assert response.status_code == 201, response.data
    plan = CoachingPlan.objects.get(pk=response.data["id"])
    assert (plan.coach, plan.coachee, plan.title, plan.state) == (org["leader"], org["owner"], "Q3 growth", "draft")
    assert [(goal.competency.key, goal.target_level) for goal in plan.goals.all()] == [("coaching", 3)]
    assert (response.data["goals_count"], response.data["progress"]) == (1, 0)


def test_a_leader_names_another_coach_for_a_plan_from_scratch(org, world):
    body = {
        "coachee": org["seller"].pk,
        "coach": org["peer"].pk,
        "period_start": "2027-01-01",
        "period_end": "2027-03-31",
    }
    response = api_client(org["leader"].user).post(reverse("plan-list"), body, format="json")
    assert response.status_code == 201, response.data
    assert (response.data["coach"]["id"], response.data["goals_count"], response.data["progress"]) == (
        org["peer"].pk,
        0,
        None,
    )


@pytest.mark.parametrize(
    ("persona", "body", "expected"),
    [
        ("owner", {"coachee": "peer_seller"}, (400, "coachee")),
        ("owner", {"coachee": "seller", "coach": "peer"}, (400, "coach")),
        ("owner", {"coachee": "seller", "coach": "seller"}, (400, "coach")),
        ("leader", {"coachee": "owner", "period_start": "2027-02-01", "period_end": "2027-01-01"}, (400, "period_end")),
        ("seller", {"coachee": "seller"}, (403, None)),
        ("outsider", {"coachee": "seller"}, (400, "coachee")),
    ],
)
def test_plans_are_started_only_for_the_people_below(org, world, persona, body, expected):
    before = CoachingPlan.objects.count()
    body = {key: org[value].pk if key in ("coachee", "coach") else value for key, value in body.items()}
    response = api_client(org[persona].user).post(reverse("plan-list"), body, format="json")
    assert (
        response.status_code,
        next(iter(response.data["errors"])) if response.status_code == 400 else None,
    ) == expected
    assert CoachingPlan.objects.count() == before


def test_the_coach_moves_a_plan_through_its_states_and_the_coachee_cannot(org, world):
    plan, task = world["plans"]["seller"]["plan"], world["plans"]["seller"]["task"]
    owner, seller = api_client(org["owner"].user), api_client(org["seller"].user)
    assert seller.post(reverse("plan-activate", args=[plan.pk])).status_code == 403
    assert owner.get(reverse("plan-activate", args=[plan.pk])).status_code == 405
    assert owner.delete(reverse("plan-detail", args=[plan.pk])).status_code == 405
    response = owner.post(reverse("plan-activate", args=[plan.pk]))
    assert (response.status_code, response.data["state"]) == (200, "active")
    assert response.data["activated_at"] is not None
    assert owner.post(reverse("plan-activate", args=[plan.pk])).status_code == 400  # only a draft
    assert seller.post(reverse("plan-complete", args=[plan.pk])).status_code == 403
    assert owner.post(reverse("plan-complete", args=[plan.pk])).data["state"] == "completed"
    assert CoachingTask.objects.get(pk=task.pk).state == CoachingTask.State.CANCELLED
    assert seller.post(reverse("plan-archive", args=[plan.pk])).status_code == 403
    assert api_client(org["leader"].user).post(reverse("plan-archive", args=[plan.pk])).data["state"] == "archived"


# Goals.


def test_the_coachee_updates_their_goals_progress_and_the_coach_the_rest(org, world):
    goal = world["plans"]["seller"]["goal"]
    url = reverse("goal-detail", args=[goal.pk])
    seller, owner = api_client(org["seller"].user), api_client(org["owner"].user)
    response = seller.patch(url, {"state": "achieved", "note": "Ran three great 1:1s."}, format="json")
    assert (response.status_code, response.data["state"], response.data["note"]) == (
        200,
        "achieved",
        "Ran three great 1:1s.",
    )
    assert seller.patch(url, {"target_level": 4, "note": "Aim higher"}, format="json").status_code == 403
    assert seller.put(url, {"state": "open"}, format="json").status_code == 405
    assert owner.patch(url, {"target_level": 5}, format="json").status_code == 400
    response = owner.patch(url, {"target_level": 4, "due_on": _days(60).isoformat()}, format="json")
    assert (response.status_code, response.data["target_level"]) == (200, 4)
    goal.refresh_from_db()
    assert (goal.state, goal.note, goal.target_level, goal.due_on) == (
        Goal.State.ACHIEVED,
        "Ran three great 1:1s.",
        4,
        _days(60),
    )


# Tasks.


def test_the_coachee_completes_their_task_once(org, world):
    """Given seller's task, when seller marks it done twice, then the second answer is a 200 with the
    first completed_at and completed_by."""
    task = world["plans"]["seller"]["task"]
    seller = api_client(org["seller"].user)
    first = seller.post(reverse("task-complete", args=[task.pk]))
    assert (first.status_code, first.data["state"], first.data["completed_by"]["id"]) == (
        200,
        "done",
        org["seller"].user.pk,
    )
    again = api_client(org["owner"].user).post(reverse("task-complete", args=[task.pk]))
    assert (again.status_code, again.data["completed_at"], again.data["completed_by"]) == (
        200,
        first.data["completed_at"],
        first.data["completed_by"],
    )
    assert CoachingTask.objects.get(pk=task.pk).completed_by == org["seller"].user


def test_the_coachee_does_not_add_tasks_or_complete_the_coachs(org, world):
    plan = world["plans"]["seller"]["plan"]
    coach_task = services.task_add(
        plan=plan,
        title="Review the call",
        kind=ActivityKind.ONE_ON_ONE,
        assignee=org["owner"],
        due_on=_days(3),
        by=org["owner"].user,
    )
    seller = api_client(org["seller"].user)
    assert seller.post(reverse("task-complete", args=[coach_task.pk])).status_code == 403
    body = {"plan": plan.pk, "kind": "practice", "title": "Skip the pipeline review", "due_on": _days(2).isoformat()}
    assert seller.post(reverse("task-list"), body, format="json").status_code == 403
    assert not CoachingTask.objects.filter(title="Skip the pipeline review").exists()
    assert CoachingTask.objects.get(pk=coach_task.pk).state == CoachingTask.State.TODO


def test_a_learning_system_completes_a_task_with_a_write_token(org, world):
    task = world["plans"]["peer_seller"]["task"]
    system = UserFactory(username="lms", is_superuser=True)
    read_only = api_client(system, token=FakeToken(frozenset({"coaching:read"})))
    assert read_only.post(reverse("task-complete", args=[task.pk])).status_code == 403
    writer = api_client(system, token=FakeToken(frozenset({"coaching:write"})))
    response = writer.post(reverse("task-complete", args=[task.pk]))
    assert (response.status_code, response.data["completed_by"]["id"]) == (200, system.pk)


def test_a_cancelled_task_cannot_be_completed(org, world):
    task = world["plans"]["seller"]["task"]
    services.task_set_state(task=task, state=CoachingTask.State.CANCELLED, by=org["owner"].user)
    response = api_client(org["seller"].user).post(reverse("task-complete", args=[task.pk]))
    assert response.status_code == 400
    assert CoachingTask.objects.get(pk=task.pk).state == CoachingTask.State.CANCELLED


def test_the_coach_adds_a_task_for_the_coachee_or_themselves(org, world):
    plan, goal = world["plans"]["seller"]["plan"], world["plans"]["seller"]["goal"]
    owner = api_client(org["owner"].user)
    body = {
        "plan": plan.pk,
        "goal": goal.pk,
        "kind": "practice",
        "title": "Role-play objections",
        "due_on": _days(10).isoformat(),
    }
    response = owner.post(reverse("task-list"), body, format="json")
    assert response.status_code == 201, response.data
    assert (response.data["assignee"]["id"], response.data["goal"], response.data["state"]) == (
        org["seller"].pk,
        goal.pk,
        "todo",
    )
    mine = owner.post(reverse("task-list"), {**body, "assignee": org["owner"].pk}, format="json")
    assert (mine.status_code, mine.data["assignee"]["id"]) == (201, org["owner"].pk)
    other_goal = world["plans"]["owner"]["goal"]  # owner sees it (their own plan) but it is another plan's
    for bad, field in (
        ({"assignee": org["peer"].pk}, "assignee"),
        ({"goal": other_goal.pk}, "goal"),
        ({"plan": world["plans"]["peer"]["plan"].pk}, "plan"),
        ({"kind": "golf"}, "kind"),
    ):
        response = owner.post(reverse("task-list"), {**body, **bad, "title": "Bad"}, format="json")
        assert (response.status_code, field in response.data["errors"]) == (400, True), (bad, response.data)
    assert not CoachingTask.objects.filter(title="Bad").exists()


# Sessions.


def test_the_coach_records_a_session_whose_next_steps_become_tasks(org, world):
    plan = world["plans"]["seller"]["plan"]
    body = {
        "plan": plan.pk,
        "held_on": _today().isoformat(),
        "notes": "Pipeline review; discovery is thin.",
        "next_steps": [
            {"title": "Listen to two discovery calls", "due_on": _days(5).isoformat(), "kind": "practice"},
            {"title": "Send the call checklist", "due_on": _days(2).isoformat(), "assignee": org["owner"].pk},
        ],
    }
    response = api_client(org["owner"].user).post(reverse("session-list"), body, format="json")
    assert response.status_code == 201, response.data
    session = CoachingSession.objects.get(pk=response.data["id"])
    assert sorted((task.title, task.assignee_id, task.kind) for task in session.next_steps.all()) == [
        ("Listen to two discovery calls", org["seller"].pk, "practice"),
        ("Send the call checklist", org["owner"].pk, "practice"),
    ]
    assert [step["title"] for step in response.data["next_steps"]] == [
        "Send the call checklist",
        "Listen to two discovery calls",
    ]


def test_the_coachee_records_sessions_and_others_do_not_see_the_plan(org, world):
    """As on the plan page, a 1:1 is recorded by either side of the plan (`can_record_session`)."""
    body = {"plan": world["plans"]["seller"]["plan"].pk, "held_on": _today().isoformat(), "notes": "Good talk."}
    seller = api_client(org["seller"].user)
    assert seller.post(reverse("session-list"), body, format="json").status_code == 201
    assert CoachingSession.objects.get(notes="Good talk.").recorded_by == org["seller"].user
    body["notes"] = "Another talk."
    others = {**body, "plan": world["plans"]["peer_seller"]["plan"].pk}
    response = api_client(org["owner"].user).post(reverse("session-list"), others, format="json")
    assert (response.status_code, "plan" in response.data["errors"]) == (400, True)
    assert not CoachingSession.objects.filter(notes="Another talk.").exists()


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"held_on": "2099-01-01"}, "held_on"),
        ({"notes": ""}, "notes"),
        ({"next_steps": [{"title": "A", "due_on": "2027-01-01", "assignee": "peer"}]}, "next_steps"),
        ({"next_steps": [{"title": "", "due_on": "2027-01-01"}]}, "next_steps"),
    ],
    ids=["in the future", "no notes", "assignee outside the plan", "step without a title"],
)
def test_a_bad_session_is_a_400_and_writes_nothing(org, world, override, field):
    steps = override.get("next_steps")
    if steps and "assignee" in steps[0]:
        override = {"next_steps": [{**steps[0], "assignee": org["peer"].pk}]}
    body = {"plan": world["plans"]["seller"]["plan"].pk, "held_on": _today().isoformat(), "notes": "Fine.", **override}
    before = (CoachingSession.objects.count(), CoachingTask.objects.count())
    response = api_client(org["owner"].user).post(reverse("session-list"), body, format="json")
    assert response.status_code == 400
    assert field in response.data["errors"], response.data
    assert (CoachingSession.objects.count(), CoachingTask.objects.count()) == before


def test_a_next_step_for_someone_outside_the_plan_names_the_step(org, world):
    steps = [
        {"title": "Fine", "due_on": _days(3).isoformat()},
        {"title": "Not theirs", "due_on": _days(3).isoformat(), "assignee": org["peer"].pk},
    ]
    body = {
        "plan": world["plans"]["seller"]["plan"].pk,
        "held_on": _today().isoformat(),
        "notes": "N",
        "next_steps": steps,
    }
    response = api_client(org["owner"].user).post(reverse("session-list"), body, format="json")
    assert response.json()["errors"] == {
        "next_steps": {"1": {"assignee": ["A task goes to the coachee or the coach."]}}
    }


# Token scopes.


def test_a_coaching_read_token_reads_and_cannot_write(org, world):
    leader = org["leader"]
    read_only = api_client(leader.user, token=FakeToken(frozenset({"coaching:read"})))
    for name in LISTS:
        assert read_only.get(reverse(name)).status_code == 200, name
    objects = world["plans"]["seller"]
    writes = [
        ("post", reverse("assessment-list"), _assessment_body(org["owner"])),
        ("post", reverse("plan-list"), {"coachee": org["seller"].pk}),
        ("post", reverse("plan-activate", args=[objects["plan"].pk]), {}),
        ("patch", reverse("goal-detail", args=[objects["goal"].pk]), {"note": "Read only."}),
        (
            "post",
            reverse("task-list"),
            {"plan": objects["plan"].pk, "kind": "practice", "title": "T", "due_on": _days(3).isoformat()},
        ),
        ("post", reverse("task-complete", args=[objects["task"].pk]), {}),
        ("post", reverse("session-list"), {"plan": objects["plan"].pk, "held_on": _today().isoformat(), "notes": "N"}),
    ]
    before = (Assessment.objects.count(), CoachingPlan.objects.count(), CoachingTask.objects.count())
    for method, url, body in writes:
        assert getattr(read_only, method)(url, body, format="json").status_code == 403, (method, url)
    assert (Assessment.objects.count(), CoachingPlan.objects.count(), CoachingTask.objects.count()) == before
    assert CoachingPlan.objects.get(pk=objects["plan"].pk).state == CoachingPlan.State.DRAFT

    read_write = api_client(leader.user, token=FakeToken(frozenset({"coaching:read", "coaching:write"})))
    assert read_write.post(reverse("plan-activate", args=[objects["plan"].pk])).status_code == 200


def test_other_scopes_do_not_open_coaching(org, world):
    charters = api_client(org["leader"].user, token=FakeToken(frozenset({"charters:read", "charters:write"})))
    for name in LISTS:
        assert charters.get(reverse(name)).status_code == 403, name
    plan = world["plans"]["seller"]["plan"]
    assert charters.get(reverse("plan-detail", args=[plan.pk])).status_code == 403
    assert charters.post(reverse("plan-activate", args=[plan.pk])).status_code == 403
    assert CoachingPlan.objects.get(pk=plan.pk).state == CoachingPlan.State.DRAFT


# Pinned query counts.


@pytest.mark.parametrize(("name", "per_batch"), [(name, 2 if name == "task-list" else 1) for name in LISTS])
def test_list_endpoints_run_a_bounded_number_of_queries(
    org, competencies, django_assert_max_num_queries, name, per_batch
):
    """Given 2 plans of outsider_seller (each with a goal, a done task, a 1:1 with a next step) and 2 assessments
    of them, when 20 more of each are added, then their manager outsider's list costs no more queries."""
    seller, manager = org["outsider_seller"], org["outsider"]  # the module's plans are in the other branch

    def add(count: int) -> None:
        for index in range(count):
            plan = _add_plan(org, "outsider_seller", title=f"Plan {index}", coach="outsider")
            services.task_complete(task=plan["task"], by=seller.user)
            _assess(seller, manager, competencies, coaching=2, storytelling=3)

    client = APIClient()
    client.force_login(manager.user)  # a fresh user per request, as in production
    url = reverse(name)
    add(2)
    with CaptureQueriesContext(connection) as few:
        rows_few = _count(client, url)
    add(20)
    with django_assert_max_num_queries(len(few)):
        rows_many = _count(client, url)
    assert (rows_few, rows_many) == (2 * per_batch, 22 * per_batch)


def _count(client: APIClient, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200
    return response.data["count"]
