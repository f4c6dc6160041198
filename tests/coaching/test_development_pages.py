"""The development pages, signed in as each persona: who sees which plan (404) and who may change it
(403), the commands a plan page posts, My development's task groups and gaps, the self-assessment from
request to changed gaps, and pinned query counts."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coaching.models import (
    ActivityKind,
    Assessment,
    AssessmentRating,
    CoachingPlan,
    CoachingSession,
    CoachingTask,
    Goal,
)
from coaching.services import plans as services
from coaching.services.assessments import LevelInput, assessment_record, assessment_request
from managers.services.charters import role_assign
from tests.conftest import build_org, from_built
from tests.helpers import login_as
from tests.managers.factories import CompetencyFactory, RoleCompetencyFactory, RoleFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _plan(coachee, coach, title):
    return services.plan_create(coachee=coachee, coach=coach, by=coach.user, title=title)


def _task(plan, title, *, due_in=7, assignee=None, goal=None):
    return services.task_add(
        plan=plan,
        title=title,
        kind=ActivityKind.PRACTICE,
        assignee=assignee or plan.coachee,
        goal=goal,
        by=None,
        due_on=timezone.localdate() + due_in * DAY,
    )


def _plans(org) -> dict:
    """A plan for each manager and seller under the leader; the seller's is coached by owner."""
    return {
        "owner": _plan(org["owner"], org["leader"], "Owner plan"),
        "seller": _plan(org["seller"], org["owner"], "Seller plan"),
        "peer": _plan(org["peer"], org["leader"], "Peer plan"),
        "peer_seller": _plan(org["peer_seller"], org["peer"], "Peer seller plan"),
    }


def _seller_plan(plans) -> dict:
    """The seller's plan with a goal, a task for the seller on it and a task for owner, the coach."""
    plan = plans["seller"]
    goal = services.goal_add(plan=plan, title="Run discovery calls", due_on=timezone.localdate() + 30 * DAY, by=None)
    return {
        "plan": plan,
        "goal": goal,
        "seller_task": _task(plan, "Shadow a top seller", goal=goal),
        "coach_task": _task(plan, "Book a ride-along", assignee=plan.coach),
    }


@pytest.fixture(scope="module", autouse=True)
def built(module_db) -> dict:
    """The org, `plans` and `seller_plan`, built once for the module; each test reads its own copy.

    `plans`: a draft plan for each of owner (coach leader), seller (coach owner), peer (coach leader) and
    peer_seller (coach peer). `seller_plan`: the seller's plan of `plans` with the goal "Run discovery calls",
    the seller's task "Shadow a top seller" on it and the coach's loose task "Book a ride-along". Every test of
    the module sees them, including those that ask only for `plans` or for neither."""
    org = build_org()
    plans = _plans(org)
    return {"org": org, "plans": plans, "seller_plan": _seller_plan(plans)}


org = from_built("org")
plans = from_built("plans")
seller_plan = from_built("seller_plan")


# -- who sees which plan -----------------------------------------------------------------------------------

VISIBILITY = {
    "owner": {"owner", "seller"},
    "leader": {"owner", "seller", "peer", "peer_seller"},
    "seller": {"seller"},
    "peer": {"peer", "peer_seller"},
    "outsider": set(),
}


@pytest.mark.parametrize("persona", VISIBILITY)
@pytest.mark.parametrize("plan_key", ["owner", "seller", "peer", "peer_seller"])
def test_plan_detail_shows_a_plan_only_to_its_coachee_coach_and_leaders(client, org, plans, persona, plan_key):
    response = login_as(client, org[persona]).get(reverse("coaching:plan-detail", args=[plans[plan_key].pk]))

    assert response.status_code == (200 if plan_key in VISIBILITY[persona] else 404)
    if response.status_code == 200:
        assert plans[plan_key].title in response.content.decode()


def test_plan_detail_is_hidden_from_accounts_outside_the_org(client, plans, recruiter, hr_admin):
    for user in (recruiter, hr_admin):
        assert login_as(client, user).get(reverse("coaching:plan-detail", args=[plans["seller"].pk])).status_code == 404


def test_plan_detail_shows_the_forms_only_to_who_may_use_them(client, org, seller_plan):
    url = reverse("coaching:plan-detail", args=[seller_plan["plan"].pk])
    coach_page = login_as(client, org["owner"]).get(url).content.decode()
    seller_page = login_as(client, org["seller"]).get(url).content.decode()

    for testid in ("task-form", "goal-form", "plan-actions"):
        assert f'data-testid="{testid}"' in coach_page
        assert f'data-testid="{testid}"' not in seller_page
    # either side of the plan records a 1:1
    assert 'data-testid="session-form"' in coach_page and 'data-testid="session-form"' in seller_page
    # the coachee updates their goal and works their own task, not the coach's
    goal_form = f'data-testid="goal-form-{seller_plan["goal"].pk}"'
    assert goal_form in coach_page and goal_form in seller_page
    assert reverse("coaching:task-complete", args=[seller_plan["seller_task"].pk]) in seller_page
    assert reverse("coaching:task-complete", args=[seller_plan["coach_task"].pk]) not in seller_page
    assert reverse("coaching:task-complete", args=[seller_plan["coach_task"].pk]) in coach_page


def test_plan_detail_shows_goals_with_their_tasks_loose_tasks_and_sessions(client, org, seller_plan):
    plan = seller_plan["plan"]
    services.session_record(
        plan=plan,
        held_on=timezone.localdate(),
        notes="Walked through two calls.",
        by=org["owner"].user,
        next_steps=[services.NextStep("Write a call plan", timezone.localdate() + 3 * DAY, org["seller"])],
    )

    page = login_as(client, org["owner"]).get(reverse("coaching:plan-detail", args=[plan.pk])).content.decode()

    goal_card = page.split(f'data-testid="goal-{seller_plan["goal"].pk}"')[1].split('data-testid="loose-tasks"')[0]
    assert "Shadow a top seller" in goal_card and "Book a ride-along" not in goal_card
    loose = page.split('data-testid="loose-tasks"')[1].split("</ul>")[0]
    assert "Book a ride-along" in loose and "Write a call plan" in loose
    session = page.split('data-testid="session-')[1]
    assert "Walked through two calls." in session and "Write a call plan" in session


def test_a_finished_plan_shows_no_forms(client, org, seller_plan):
    plan = seller_plan["plan"]
    services.plan_activate(plan=plan, by=None)
    services.plan_complete(plan=plan, by=None)

    page = login_as(client, org["owner"]).get(reverse("coaching:plan-detail", args=[plan.pk])).content.decode()

    assert 'data-testid="session-form"' not in page and "goal-form-" not in page
    assert reverse("coaching:task-complete", args=[seller_plan["seller_task"].pk]) not in page


# -- every page and command: anonymous, wrong method, strangers ---------------------------------------------

COMMANDS = {
    "task-complete": ("seller_task", {}),
    "task-state": ("seller_task", {"state": "in_progress"}),
    "goal-update": ("goal", {"state": "achieved", "note": "Done it."}),
    "session-add": ("plan", {"held_on": "2026-01-05", "notes": "Notes."}),
    "task-add": ("plan", {"kind": "practice", "title": "T", "assignee": "coachee", "due_on": "2027-01-05"}),
    "goal-add": ("plan", {"title": "G", "due_on": "2027-01-05"}),
    "plan-activate": ("plan", {}),
    "plan-complete": ("plan", {}),
    "plan-archive": ("plan", {}),
}
PAGES = {"my-development": None, "plan-detail": "plan"}


def _url(name, seller_plan):
    target = {**COMMANDS, **{key: (value, None) for key, value in PAGES.items()}}[name][0]
    return reverse(f"coaching:{name}", args=[seller_plan[target].pk] if target else [])


@pytest.mark.parametrize("name", [*PAGES, *COMMANDS])
def test_development_pages_send_anonymous_to_login(client, seller_plan, name):
    method = client.post if name in COMMANDS else client.get

    response = method(_url(name, seller_plan), COMMANDS.get(name, (None, {}))[1])

    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", [*PAGES, *COMMANDS])
def test_development_pages_refuse_the_wrong_method(client, org, seller_plan, name):
    client = login_as(client, org["owner"])
    method = client.get if name in COMMANDS else client.post
    if name == "plan-complete":  # GET asks to confirm (test_confirmations_pages.py)
        method = client.put

    assert method(_url(name, seller_plan)).status_code == 405


@pytest.mark.parametrize("name", COMMANDS)
def test_commands_are_404_for_who_cannot_see_the_plan_and_change_nothing(client, org, seller_plan, name):
    before = _snapshot(seller_plan["plan"])

    response = login_as(client, org["peer"]).post(_url(name, seller_plan), COMMANDS[name][1])

    assert response.status_code == 404
    assert _snapshot(seller_plan["plan"]) == before


def _snapshot(plan):
    plan = CoachingPlan.objects.get(pk=plan.pk)
    return (
        plan.state,
        sorted(plan.goals.values_list("pk", "state", "note")),
        sorted(plan.tasks.values_list("pk", "state", "completed_at")),
        plan.sessions.count(),
    )


@pytest.mark.parametrize("name", ["task-add", "goal-add", "plan-activate", "plan-archive"])
def test_the_coachee_sees_their_plan_but_may_not_change_it(client, org, seller_plan, name):
    before = _snapshot(seller_plan["plan"])

    response = login_as(client, org["seller"]).post(_url(name, seller_plan), COMMANDS[name][1])

    assert response.status_code == 403
    assert _snapshot(seller_plan["plan"]) == before


def test_the_coachee_records_a_1_1_with_a_next_step_for_themselves(client, org, seller_plan):
    plan, today = seller_plan["plan"], timezone.localdate()
    data = {"held_on": today.isoformat(), "notes": "My notes from our 1:1."}
    data |= {"step_1_title": "Prepare a deal review", "step_1_due_on": (today + 3 * DAY).isoformat()}
    data |= {"step_1_assignee": "coachee"}

    response = login_as(client, org["seller"]).post(reverse("coaching:session-add", args=[plan.pk]), data)

    assert response.status_code == 302
    session = CoachingSession.objects.get(plan=plan)
    assert session.recorded_by == org["seller"].user
    assert [(task.title, task.assignee) for task in session.next_steps.all()] == [
        ("Prepare a deal review", org["seller"])
    ]


def test_the_coachee_completes_their_own_task_but_not_the_coachs(client, org, seller_plan):
    client = login_as(client, org["seller"])

    mine = client.post(reverse("coaching:task-complete", args=[seller_plan["seller_task"].pk]))
    theirs = client.post(reverse("coaching:task-complete", args=[seller_plan["coach_task"].pk]))

    assert mine.status_code == 302 and theirs.status_code == 403
    assert CoachingTask.objects.get(pk=seller_plan["seller_task"].pk).state == CoachingTask.State.DONE
    assert CoachingTask.objects.get(pk=seller_plan["coach_task"].pk).state == CoachingTask.State.TODO


def test_the_coachee_starts_their_task_but_only_who_manages_the_plan_cancels_it(client, org, seller_plan):
    task, url = seller_plan["seller_task"], reverse("coaching:task-state", args=[seller_plan["seller_task"].pk])

    started = login_as(client, org["seller"]).post(url, {"state": "in_progress"})
    refused = client.post(url, {"state": "cancelled"})
    assert (started.status_code, refused.status_code) == (302, 403)
    assert CoachingTask.objects.get(pk=task.pk).state == CoachingTask.State.IN_PROGRESS

    cancelled = login_as(client, org["leader"]).post(url, {"state": "cancelled"})
    assert cancelled.status_code == 302
    assert CoachingTask.objects.get(pk=task.pk).state == CoachingTask.State.CANCELLED


def test_task_state_refuses_done_and_unknown_states(client, org, seller_plan):
    url = reverse("coaching:task-state", args=[seller_plan["seller_task"].pk])
    for state in ("done", "nonsense"):
        response = login_as(client, org["owner"]).post(url, {"state": state}, follow=True)
        assert "Choose the task&#x27;s state." in response.content.decode()
    assert CoachingTask.objects.get(pk=seller_plan["seller_task"].pk).state == CoachingTask.State.TODO


# -- the commands ------------------------------------------------------------------------------------------


def test_task_complete_records_who_and_when_and_a_second_post_changes_nothing(client, org, seller_plan):
    task = seller_plan["seller_task"]
    url = reverse("coaching:task-complete", args=[task.pk])

    response = login_as(client, org["seller"]).post(url)
    assert response.status_code == 302 and response.url == reverse("coaching:plan-detail", args=[task.plan_id])
    done = CoachingTask.objects.get(pk=task.pk)
    assert done.state == CoachingTask.State.DONE and done.completed_by == org["seller"].user
    assert done.completed_at is not None

    login_as(client, org["owner"]).post(url)
    again = CoachingTask.objects.get(pk=task.pk)
    assert (again.completed_by, again.completed_at, again.updated_at) == (
        done.completed_by,
        done.completed_at,
        done.updated_at,
    )


def test_a_cancelled_task_cannot_be_completed(client, org, seller_plan):
    task = services.task_set_state(task=seller_plan["seller_task"], state=CoachingTask.State.CANCELLED, by=None)

    response = login_as(client, org["seller"]).post(reverse("coaching:task-complete", args=[task.pk]), follow=True)

    assert "This task was cancelled." in response.content.decode()
    assert CoachingTask.objects.get(pk=task.pk).state == CoachingTask.State.CANCELLED


def test_commands_go_back_to_my_development_when_posted_from_there_and_nowhere_else(client, org, seller_plan):
    client = login_as(client, org["seller"])
    task = seller_plan["seller_task"]

    from_page = client.post(
        reverse("coaching:task-state", args=[task.pk]), {"state": "in_progress", "next": "my-development"}
    )
    elsewhere = client.post(reverse("coaching:task-complete", args=[task.pk]), {"next": "https://evil.example/"})

    assert from_page.url == reverse("coaching:my-development")
    assert elsewhere.url == reverse("coaching:plan-detail", args=[task.plan_id])


def test_a_session_with_next_steps_creates_their_tasks_linked_to_it(client, org, seller_plan):
    plan, today = seller_plan["plan"], timezone.localdate()
    data = {
        "held_on": today.isoformat(),
        "notes": "Reviewed the pipeline together.",
        "step_1_title": "Qualify the three stalled deals",
        "step_1_due_on": (today + 5 * DAY).isoformat(),
        "step_1_assignee": "coachee",
        "step_2_title": "Send the call-review template",
        "step_2_due_on": (today + 2 * DAY).isoformat(),
        "step_2_assignee": "coach",
        "step_3_title": "",
        "step_3_due_on": "",
        "step_3_assignee": "coachee",
    }

    response = login_as(client, org["owner"]).post(reverse("coaching:session-add", args=[plan.pk]), data)

    assert response.status_code == 302
    session = CoachingSession.objects.get(plan=plan)
    assert (session.notes, session.held_on, session.recorded_by) == (data["notes"], today, org["owner"].user)
    steps = {task.title: task for task in session.next_steps.all()}
    assert set(steps) == {"Qualify the three stalled deals", "Send the call-review template"}
    assert steps["Qualify the three stalled deals"].assignee == org["seller"]
    assert steps["Send the call-review template"].assignee == org["owner"]
    assert steps["Send the call-review template"].due_on == today + 2 * DAY


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"notes": "  "}, "This field is required."),
        ({"held_on": (timezone.localdate() + DAY).isoformat()}, "A 1:1 is recorded once it happened."),
        ({"step_1_due_on": ""}, "When is this next step due?"),
    ],
)
def test_a_bad_session_shows_the_form_error_and_writes_nothing(client, org, seller_plan, change, error):
    plan, today = seller_plan["plan"], timezone.localdate()
    data = {
        "held_on": today.isoformat(),
        "notes": "Notes.",
        "step_1_title": "Call review",
        "step_1_due_on": (today + DAY).isoformat(),
        "step_1_assignee": "coachee",
    } | change
    tasks_before = plan.tasks.count()

    response = login_as(client, org["owner"]).post(reverse("coaching:session-add", args=[plan.pk]), data)

    assert response.status_code == 400
    form = response.content.decode().split('data-testid="session-form"')[1].split('data-testid="task-form"')[0]
    assert error in form
    assert not CoachingSession.objects.exists() and plan.tasks.count() == tasks_before


def test_the_coach_adds_a_task_to_a_goal_and_a_goal(client, org, seller_plan):
    plan, goal = seller_plan["plan"], seller_plan["goal"]
    client = login_as(client, org["owner"])

    client.post(
        reverse("coaching:task-add", args=[plan.pk]),
        {
            "kind": "reading",
            "title": "Read SPIN Selling",
            "assignee": "coachee",
            "due_on": "2027-02-01",
            "goal": goal.pk,
        },
    )
    client.post(
        reverse("coaching:goal-add", args=[plan.pk]),
        {"title": "Forecast accuracy", "due_on": "2027-03-01", "target_level": "3"},
    )

    task = plan.tasks.get(title="Read SPIN Selling")
    assert (task.goal, task.assignee, task.kind, task.due_on) == (
        goal,
        org["seller"],
        ActivityKind.READING,
        datetime.date(2027, 2, 1),
    )
    assert plan.goals.filter(title="Forecast accuracy", target_level=3).exists()


def test_a_task_for_a_goal_of_another_plan_is_refused(client, org, seller_plan, plans):
    other_goal = services.goal_add(plan=plans["owner"], title="Not yours", due_on=timezone.localdate(), by=None)
    data = {"kind": "reading", "title": "Sneaky", "assignee": "coachee", "due_on": "2027-02-01", "goal": other_goal.pk}

    response = login_as(client, org["owner"]).post(reverse("coaching:task-add", args=[seller_plan["plan"].pk]), data)

    assert response.status_code == 400
    assert not CoachingTask.objects.filter(title="Sneaky").exists()


def test_the_coachee_updates_their_goal(client, org, seller_plan):
    goal = seller_plan["goal"]

    response = login_as(client, org["seller"]).post(
        reverse("coaching:goal-update", args=[goal.pk]), {"state": "achieved", "note": "  Ran five discovery calls. "}
    )

    assert response.status_code == 302
    goal = Goal.objects.get(pk=goal.pk)
    assert (goal.state, goal.note) == (Goal.State.ACHIEVED, "Ran five discovery calls.")


def test_a_goal_update_with_a_bad_state_changes_nothing(client, org, seller_plan):
    goal = seller_plan["goal"]

    response = login_as(client, org["owner"]).post(reverse("coaching:goal-update", args=[goal.pk]), {"state": "won"})

    assert response.status_code == 302
    assert Goal.objects.get(pk=goal.pk).state == Goal.State.OPEN


def test_plan_activate_is_refused_while_another_plan_is_active(client, org, plans):
    services.plan_activate(plan=plans["seller"], by=None)
    second = _plan(org["seller"], org["owner"], "Second plan")

    response = login_as(client, org["owner"]).post(reverse("coaching:plan-activate", args=[second.pk]), follow=True)

    assert "already has an active plan" in response.content.decode()
    assert CoachingPlan.objects.get(pk=second.pk).state == CoachingPlan.State.DRAFT


def test_plan_activate_complete_and_archive_through_the_page(client, org, seller_plan):
    plan, client = seller_plan["plan"], login_as(client, org["owner"])
    states = []
    for name in ("plan-activate", "plan-complete", "plan-archive"):
        assert client.post(reverse(f"coaching:{name}", args=[plan.pk])).status_code == 302
        states.append(CoachingPlan.objects.get(pk=plan.pk).state)

    assert states == [CoachingPlan.State.ACTIVE, CoachingPlan.State.COMPLETED, CoachingPlan.State.ARCHIVED]
    assert not plan.tasks.filter(state__in=[CoachingTask.State.TODO, CoachingTask.State.IN_PROGRESS]).exists()


def test_a_completed_plan_refuses_changes_with_a_message(client, org, seller_plan):
    plan = seller_plan["plan"]
    services.plan_activate(plan=plan, by=None)
    services.plan_complete(plan=plan, by=None)

    response = login_as(client, org["seller"]).post(
        reverse("coaching:goal-update", args=[seller_plan["goal"].pk]), {"state": "achieved"}, follow=True
    )

    assert "This plan is completed and no longer changes." in response.content.decode()
    assert Goal.objects.get(pk=seller_plan["goal"].pk).state == Goal.State.OPEN


# -- My development ----------------------------------------------------------------------------------------


def _section(page: str, testid: str) -> str:
    return page.split(f'data-testid="{testid}"')[1].split("</ul>")[0]


def test_my_development_groups_my_open_tasks_by_due_date(client, org, plans):
    plan = plans["seller"]
    services.plan_activate(plan=plan, by=None)
    for title, due_in in (
        ("Task due yesterday", -1),
        ("Task due today", 0),
        ("Task due in a week", 7),
        ("Task due later", 8),
    ):
        _task(plan, title, due_in=due_in)
    done = _task(plan, "Done task", due_in=-3)
    services.task_complete(task=done, by=None)
    _task(plan, "Task of the coach", due_in=1, assignee=org["owner"])

    page = login_as(client, org["seller"]).get(reverse("coaching:my-development")).content.decode()

    assert "Task due yesterday" in _section(page, "tasks-overdue")
    soon = _section(page, "tasks-due-soon")
    assert "Task due today" in soon and "Task due in a week" in soon and "Task due yesterday" not in soon
    assert "Task due later" in _section(page, "tasks-later") and "Task due later" not in soon
    assert "Done task" not in page and "Task of the coach" not in page


def test_my_development_shows_my_plan_with_goals_and_progress(client, org, seller_plan):
    plan = seller_plan["plan"]
    services.plan_activate(plan=plan, by=None)
    services.task_complete(task=seller_plan["seller_task"], by=None)  # 1 of 1 goal + 2 tasks = 33%
    newer_draft = services.plan_create(
        coachee=org["seller"],
        coach=org["owner"],
        by=None,
        title="Next quarter",
        period_start=timezone.localdate() + 90 * DAY,
    )

    page = login_as(client, org["seller"]).get(reverse("coaching:my-development")).content.decode()

    my_plan = page.split('data-testid="my-plan"')[1]
    assert plan.title in my_plan and newer_draft.title not in page  # the active one, though a draft is newer
    assert 'data-progress="33"' in my_plan
    assert "Run discovery calls" in my_plan


def test_my_development_falls_back_to_the_latest_draft_or_completed_plan(client, org, plans):
    archived = _plan(org["owner"], org["leader"], "Archived plan")
    services.plan_archive(plan=archived, by=None)

    page = login_as(client, org["owner"]).get(reverse("coaching:my-development")).content.decode()

    assert "Owner plan" in page.split('data-testid="my-plan"')[1] and "Archived plan" not in page


def test_my_development_shows_recent_sessions_with_next_steps(client, org, seller_plan):
    services.session_record(
        plan=seller_plan["plan"],
        held_on=timezone.localdate(),
        notes="Talked about objections.",
        by=None,
        next_steps=[services.NextStep("Practise the price objection", timezone.localdate() + DAY, org["seller"])],
    )

    page = login_as(client, org["seller"]).get(reverse("coaching:my-development")).content.decode()

    session = page.split('data-testid="my-session-')[1]
    assert "Talked about objections." in session and "Practise the price objection" in session


def test_my_development_for_an_account_without_a_person_explains(client, recruiter):
    response = login_as(client, recruiter).get(reverse("coaching:my-development"))

    assert response.status_code == 200
    assert 'data-testid="unlinked"' in response.content.decode()


def test_completing_a_task_from_my_development_returns_there(client, org, seller_plan):
    task = seller_plan["seller_task"]
    client = login_as(client, org["seller"])
    page = client.get(reverse("coaching:my-development")).content.decode()
    assert reverse("coaching:task-complete", args=[task.pk]) in page and 'value="my-development"' in page

    response = client.post(reverse("coaching:task-complete", args=[task.pk]), {"next": "my-development"})

    assert response.url == reverse("coaching:my-development")
    page = client.get(response.url).content.decode()
    assert f'data-testid="task-{task.pk}"' not in page


# -- gaps and the self-assessment --------------------------------------------------------------------------


@pytest.fixture
def role(org):
    """owner holds a role requiring coaching (3, weight 3) and forecasting (2, weight 1)."""
    role = RoleFactory(code="fsm")
    coaching = CompetencyFactory(key="coaching", anchor_3="Runs a weekly 1:1 with each seller, asks before telling.")
    forecasting = CompetencyFactory(key="forecasting")
    RoleCompetencyFactory(role=role, competency=coaching, required_level=3, weight=3)
    RoleCompetencyFactory(role=role, competency=forecasting, required_level=2, weight=1)
    role_assign(person=org["owner"], role=role, on=datetime.date(2026, 1, 1), by=None)
    return {"coaching": coaching, "forecasting": forecasting}


def _gap_item(page: str, key: str) -> str:
    return page.split(f'data-testid="gap-{key}"')[1].split("</li>")[0]


def test_my_development_shows_each_gap_with_its_evidence(client, org, role):
    assessment_record(
        person=org["owner"],
        source=Assessment.Source.LEADER,
        by=org["leader"].user,
        assessed_on=datetime.date(2026, 3, 2),
        ratings={role["coaching"]: LevelInput(Decimal(1), "Tells the seller the answer in every 1:1.")},
    )

    page = login_as(client, org["owner"]).get(reverse("coaching:my-development")).content.decode()

    coaching = _gap_item(page, "coaching")
    assert 'data-testid="gap-value">2.00<' in coaching
    assert "Leader" in coaching and "Tells the seller the answer in every 1:1." in coaching
    assert "not assessed" in _gap_item(page, "forecasting")


def test_my_development_keeps_hiring_evidence_from_the_person_it_is_about(client, org, role):
    hiring = Assessment.objects.create(
        person=org["owner"], source=Assessment.Source.HIRING, assessed_on=datetime.date(2026, 1, 1)
    )
    AssessmentRating.objects.create(
        assessment=hiring, competency=role["coaching"], level=2, evidence="Role play (Pat Peer), 2: rushed it."
    )

    page = login_as(client, org["owner"]).get(reverse("coaching:my-development")).content.decode()

    coaching = _gap_item(page, "coaching")
    assert "Hiring interviews" in coaching and "rushed it" not in coaching


def test_the_self_assessment_flow_from_request_to_changed_gaps(client, org, role):
    # given a peer rated owner low on coaching (recorded as the seed data does), and the leader asks owner
    # for a self-assessment
    assessment_record(
        person=org["owner"],
        source=Assessment.Source.PEER,
        by=None,
        assessor=org["peer"].user,
        ratings={role["coaching"]: LevelInput(Decimal(1), "Peer view.")},
    )
    request = assessment_request(person=org["owner"], by=org["leader"].user, due_on=timezone.localdate() + 7 * DAY)
    client = login_as(client, org["owner"])
    page = client.get(reverse("coaching:my-development")).content.decode()
    assert 'data-testid="gap-value">2.00<' in _gap_item(page, "coaching")
    url = reverse("coaching:self-assessment", args=[request.pk])
    assert url in page.split('data-testid="self-assessment-request"')[1]

    # when owner opens the form, then each required competency shows with its anchors
    form = client.get(url).content.decode()
    assert 'data-competency="coaching"' in form and 'data-competency="forecasting"' in form
    assert "Runs a weekly 1:1 with each seller, asks before telling." in form

    # when owner submits a rating on coaching only
    data = {
        f"level_{role['coaching'].pk}": "3",
        f"evidence_{role['coaching'].pk}": "Weekly 1:1s since March.",
        f"level_{role['forecasting'].pk}": "",
        f"evidence_{role['forecasting'].pk}": "",
        "summary": "",
    }
    response = client.post(url, data)

    # then the request is submitted, and the self-rating (above a peer's) closes the coaching gap
    assert response.status_code == 302 and response.url == reverse("coaching:my-development")
    submitted = Assessment.objects.get(pk=request.pk)
    assert (submitted.status, submitted.assessor) == (Assessment.Status.SUBMITTED, org["owner"].user)
    assert list(submitted.ratings.values_list("competency__key", "level", "evidence")) == [
        ("coaching", Decimal("3.00"), "Weekly 1:1s since March.")
    ]
    page = client.get(reverse("coaching:my-development")).content.decode()
    coaching = _gap_item(page, "coaching")
    assert 'data-testid="gap-value">0.00<' in coaching and "Weekly 1:1s since March." in coaching
    assert 'data-testid="self-assessment-request"' not in page

    # and submitting again is refused: the request is no longer open
    assert client.post(url, data).status_code == 404
    assert AssessmentRating.objects.filter(assessment=request).count() == 1


def test_a_self_assessment_is_a_404_for_anyone_but_the_person_asked(client, org, role, recruiter):
    request = assessment_request(person=org["owner"], by=org["leader"].user)
    url = reverse("coaching:self-assessment", args=[request.pk])

    for user in (org["leader"].user, org["peer"].user, org["seller"].user, recruiter):
        assert login_as(client, user).get(url).status_code == 404
        assert client.post(url, {f"level_{role['coaching'].pk}": "4"}).status_code == 404
    assert Assessment.objects.get(pk=request.pk).status == Assessment.Status.REQUESTED


def test_a_self_assessment_without_any_rating_is_refused(client, org, role):
    request = assessment_request(person=org["owner"], by=org["leader"].user)
    url = reverse("coaching:self-assessment", args=[request.pk])
    client = login_as(client, org["owner"])

    empty = client.post(url, {"summary": "Nothing to say."})
    example_without_level = client.post(url, {f"evidence_{role['coaching'].pk}": "An example."})

    assert empty.status_code == 400 and "Rate at least one competency." in empty.content.decode()
    assert example_without_level.status_code == 400
    assert "Choose a level for this example" in example_without_level.content.decode()
    assert Assessment.objects.get(pk=request.pk).status == Assessment.Status.REQUESTED


def test_a_self_assessment_without_a_role_explains_there_is_nothing_to_rate(client, org):
    request = assessment_request(person=org["seller"], by=org["owner"].user)

    response = login_as(client, org["seller"]).get(reverse("coaching:self-assessment", args=[request.pk]))

    assert response.status_code == 200 and 'data-testid="no-requirements"' in response.content.decode()


def test_the_self_assessment_page_sends_anonymous_to_login_and_refuses_other_methods(client, org, role):
    url = reverse("coaching:self-assessment", args=[assessment_request(person=org["owner"], by=None).pk])

    assert client.get(url).url.startswith(reverse("login"))
    assert login_as(client, org["owner"]).put(url).status_code == 405


# -- pinned queries ----------------------------------------------------------------------------------------


def _fill(plan, count: int) -> None:
    """`count` goals, tasks (half on a goal, some done) and sessions each with a next step."""
    today = timezone.localdate()
    goals = [
        services.goal_add(
            plan=plan,
            title=f"Goal {n}",
            due_on=today + 30 * DAY,
            by=None,
            competency=CompetencyFactory(),
            target_level=3,
        )
        for n in range(count)
    ]
    for n in range(count):
        task = _task(plan, f"Task {n}", due_in=n - 2, goal=goals[n] if n % 2 else None)
        if n % 3 == 0:
            services.task_complete(task=task, by=plan.coach.user)
        services.session_record(
            plan=plan,
            held_on=today - n * DAY,
            notes=f"Session {n}",
            by=None,
            next_steps=[services.NextStep(f"Step {n}", today + DAY, plan.coachee)],
        )


def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(("persona", "most"), [("owner", 21), ("seller", 20), ("leader", 22)])
def test_plan_detail_queries_do_not_grow_with_the_plan(
    client, org, plans, django_assert_max_num_queries, persona, most
):
    plan, client = plans["seller"], login_as(client, org[persona])
    url = reverse("coaching:plan-detail", args=[plan.pk])
    _fill(plan, 2)
    client.get(url)  # warm up: session and per-process caches
    small = _count_queries(client, url)

    _fill(plan, 10)
    # 12 of each filled, plus the module's goal and its two tasks on the seller's plan (`seller_plan`)
    assert plan.tasks.count() == 24 + 2 and plan.goals.count() == 12 + 1 and plan.sessions.count() == 12
    with django_assert_max_num_queries(most):
        large = _count_queries(client, url)

    assert large == small


def test_my_development_queries_do_not_grow_with_tasks_sessions_and_gaps(
    client, org, plans, role, django_assert_max_num_queries
):
    plan, client = plans["owner"], login_as(client, org["owner"])
    services.plan_activate(plan=plan, by=None)
    url = reverse("coaching:my-development")
    _fill(plan, 2)
    assessment_record(
        person=org["owner"],
        source=Assessment.Source.SELF,
        by=None,
        assessor=org["owner"].user,
        ratings={role["coaching"]: LevelInput(Decimal(2), "Example.")},
    )
    client.get(url)
    small = _count_queries(client, url)

    _fill(plan, 10)
    for competency in (CompetencyFactory() for _ in range(8)):
        RoleCompetencyFactory(role=org["owner"].role_assignments.get().role, competency=competency)
        assessment_record(
            person=org["owner"],
            source=Assessment.Source.LEADER,
            by=org["leader"].user,
            ratings={competency: LevelInput(Decimal(1), "Evidence.")},
        )
    assessment_request(person=org["owner"], by=org["leader"].user)
    with django_assert_max_num_queries(20):  # the pulses to answer counted for the "what you can do" cards
        large = _count_queries(client, url)

    assert large == small
