"""Each coaching rule that used to be decided in more than one place, run through every path that reaches
it (the pages and the API): the same cases must get the same answer, with the same message, everywhere."""

import datetime
import html

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from coaching import policy
from coaching.models import ActivityKind, Assessment, CoachingPlan
from coaching.models.periods import PERIOD_ENDS_BEFORE_IT_STARTS
from coaching.services import plans as services
from coaching.services.plans import ARCHIVE_ACTIVE_REFUSED
from managers.services.charters import role_assign
from tests.enablement.factories import UserFactory
from tests.helpers import api_client, login_as
from tests.managers.factories import CompetencyFactory, RoleCompetencyFactory, RoleFactory

pytestmark = pytest.mark.django_db


def _days(count: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=count)


@pytest.fixture
def coaching_competency(org):
    """`owner` holds a role that requires coaching (level 3)."""
    role = RoleFactory(code="fsm")
    competency = CompetencyFactory(key="coaching")
    RoleCompetencyFactory(role=role, competency=competency, required_level=3, weight=3)
    role_assign(person=org["owner"], role=role, on=datetime.date(2026, 1, 1), by=None)
    return competency


# -- a period does not end before it starts (plans and assessments) ---------------------------------------

BACKWARDS = {"period_start": "2026-06-30", "period_end": "2026-01-01"}


def _page_errors(response) -> list[str]:
    assert response.status_code in (200, 400), response.status_code
    return response.context["form"].errors["period_end"]


def _api_errors(response) -> list[str]:
    assert response.status_code == 400, response.content
    return response.json()["errors"]["period_end"]


def _plan_page(client, org, competency) -> list[str]:
    body = {"start_from": "scratch", "title": "", "coach": org["leader"].pk, **BACKWARDS}
    url = reverse("coaching:plan-create", args=[org["owner"].pk])
    return _page_errors(login_as(client, org["leader"]).post(url, body))


def _assessment_page(client, org, competency) -> list[str]:
    body = {
        "source": "leader",
        "assessed_on": timezone.localdate().isoformat(),
        "summary": "",
        f"level_{competency.pk}": "2",
        f"evidence_{competency.pk}": "Tells.",
        **BACKWARDS,
    }
    url = reverse("coaching:assessment-record", args=[org["owner"].pk])
    return _page_errors(login_as(client, org["leader"]).post(url, body))


def _plan_api(client, org, competency) -> list[str]:
    body = {"coachee": org["owner"].pk, **BACKWARDS}
    return _api_errors(api_client(org["leader"].user).post(reverse("plan-list"), body, format="json"))


def _assessment_api(client, org, competency) -> list[str]:
    body = {
        "person": org["owner"].pk,
        "source": "leader",
        "ratings": [{"competency": "coaching", "level": "2"}],
        **BACKWARDS,
    }
    return _api_errors(api_client(org["leader"].user).post(reverse("assessment-list"), body, format="json"))


PERIOD_PATHS = {
    "page: start a plan": _plan_page,
    "page: record an assessment": _assessment_page,
    "API: POST plans/": _plan_api,
    "API: POST assessments/": _assessment_api,
}


@pytest.mark.parametrize("path", PERIOD_PATHS)
def test_a_period_ending_before_it_starts_is_refused_alike_on_every_path(client, org, coaching_competency, path):
    errors = PERIOD_PATHS[path](client, org, coaching_competency)

    assert errors == [str(PERIOD_ENDS_BEFORE_IT_STARTS)]
    assert not CoachingPlan.objects.exists() and not Assessment.objects.exists()


# -- who may change a plan: the services ask the policy, the pages and the API pass the refusal on ------------


@pytest.fixture
def sellers_plan(org):
    """A draft plan of `seller`, coached by `owner`, with a goal and a task the coach took on."""
    owner, seller = org["owner"], org["seller"]
    plan = services.plan_create(coachee=seller, coach=owner, by=owner.user, title="Seller's plan")
    goal = services.goal_add(plan=plan, title="Open better", due_on=_days(30), by=owner.user)
    task = services.task_add(
        plan=plan,
        title="Send the talk track",
        kind=ActivityKind.READING,
        assignee=owner,
        due_on=_days(7),
        by=owner.user,
    )
    return {"plan": plan, "goal": goal, "task": task}


def _page_refusal(client, user, name: str, pk: int, data: dict) -> tuple[int, str]:
    response = login_as(client, user).post(reverse(f"coaching:{name}", args=[pk]), data)
    return response.status_code, response.content.decode()


def _api_refusal(user, name: str, pk: int | None, data: dict, method: str = "post") -> tuple[int, str]:
    url = reverse(name, args=[pk] if pk else [])
    response = getattr(api_client(user), method)(url, data, format="json")
    return response.status_code, response.json().get("detail", "")


def _coachee_cases(org, plan, goal, task) -> dict:
    """What the coachee may not do to their own plan, as (page call, API call, the one message)."""
    seller = org["seller"].user
    new_task = {"kind": "practice", "title": "Skip the review", "due_on": _days(3).isoformat()}
    return {
        "activate the plan": (
            lambda client: _page_refusal(client, seller, "plan-activate", plan.pk, {}),
            lambda: _api_refusal(seller, "plan-activate", plan.pk, {}),
            policy.PLAN_DENIED,
        ),
        "add a task": (
            lambda client: _page_refusal(client, seller, "task-add", plan.pk, {**new_task, "assignee": "coachee"}),
            lambda: _api_refusal(seller, "task-list", None, {**new_task, "plan": plan.pk}),
            policy.PLAN_DENIED,
        ),
        "complete the coach's task": (
            lambda client: _page_refusal(client, seller, "task-complete", task.pk, {}),
            lambda: _api_refusal(seller, "task-complete", task.pk, {}),
            policy.TASK_DENIED,
        ),
        "drop a goal": (
            lambda client: _page_refusal(client, seller, "goal-update", goal.pk, {"state": "dropped", "note": ""}),
            lambda: _api_refusal(seller, "goal-detail", goal.pk, {"state": "dropped"}, method="patch"),
            policy.GOAL_DROP_DENIED,
        ),
    }


COACHEE_CASES = ("activate the plan", "add a task", "complete the coach's task", "drop a goal")


@pytest.mark.parametrize("case", COACHEE_CASES)
def test_what_a_coachee_may_not_do_is_refused_alike_by_the_page_and_the_api(client, org, sellers_plan, case):
    plan, goal, task = sellers_plan["plan"], sellers_plan["goal"], sellers_plan["task"]
    page, api, message = _coachee_cases(org, plan, goal, task)[case]

    page_status, page_body = page(client)
    api_status, api_detail = api()

    assert (page_status, api_status) == (403, 403)
    assert html.escape(str(message)) in page_body and api_detail == str(message)
    for row in (plan, goal, task):
        row.refresh_from_db()
    assert (plan.state, goal.state, task.state) == ("draft", "open", "todo")
    assert plan.tasks.count() == 1


# -- which plan may be archived -------------------------------------------------------------------------------


def _archive_on_page(client, user, plan) -> str | None:
    """The refusal the plan page reports, or None when it archived the plan."""
    response = login_as(client, user).post(reverse("coaching:plan-archive", args=[plan.pk]))
    assert response.status_code == 302
    errors = [message.message for message in get_messages(response.wsgi_request) if message.level_tag == "error"]
    return errors[0] if errors else None


def _archive_through_api(client, user, plan) -> str | None:
    response = api_client(user).post(reverse("plan-archive", args=[plan.pk]))
    if response.status_code == 200:
        return None
    assert response.status_code == 400, response.content
    return response.json()["detail"]


@pytest.mark.parametrize("path", [_archive_on_page, _archive_through_api], ids=["page", "API"])
@pytest.mark.parametrize(
    ("state", "refusal"),
    [("draft", None), ("active", str(ARCHIVE_ACTIVE_REFUSED)), ("completed", None)],
)
def test_a_plan_is_archived_by_the_same_rule_on_the_page_and_the_api(client, org, sellers_plan, path, state, refusal):
    plan, coach = sellers_plan["plan"], org["owner"].user
    if state in ("active", "completed"):
        services.plan_activate(plan=plan, by=coach)
    if state == "completed":
        services.plan_complete(plan=plan, by=coach)

    page = login_as(client, coach).get(reverse("coaching:plan-detail", args=[plan.pk])).content.decode()
    offered = reverse("coaching:plan-archive", args=[plan.pk]) in page

    answer = path(client, coach, plan)

    assert answer == refusal
    assert offered == (refusal is None)  # the page offers the button exactly when the service would archive
    plan.refresh_from_db()
    assert plan.state == (state if refusal else CoachingPlan.State.ARCHIVED)


# -- who may assess whom --------------------------------------------------------------------------------------


def _assess_on_page(client, user, person, competency) -> tuple[int, str]:
    body = {
        "source": "leader",
        "assessed_on": timezone.localdate().isoformat(),
        "summary": "",
        f"level_{competency.pk}": "2",
        f"evidence_{competency.pk}": "Seen in a 1:1.",
    }
    response = login_as(client, user).post(reverse("coaching:assessment-record", args=[person.pk]), body)
    return response.status_code, response.content.decode()


def _assess_through_api(client, user, person, competency) -> tuple[int, str]:
    body = {"person": person.pk, "source": "leader", "ratings": [{"competency": competency.key, "level": "2"}]}
    response = api_client(user).post(reverse("assessment-list"), body, format="json")
    return response.status_code, response.json().get("detail", "")


ASSESSORS = {
    # who assesses `owner`: (page status, API status, the refusal both give)
    "a superuser (an HR or learning system)": ("superuser", 302, 201, None),
    "the leader above": ("leader", 302, 201, None),
    "the person themselves": ("owner", 403, 403, policy.ASSESS_DENIED),
    "a peer, who does not see them": ("peer", 404, 404, None),
}


@pytest.mark.parametrize("case", ASSESSORS)
def test_who_may_assess_whom_is_answered_alike_by_the_page_and_the_api(client, org, coaching_competency, case):
    who, page_status, api_status, refusal = ASSESSORS[case]
    user = UserFactory(username="root", is_superuser=True) if who == "superuser" else org[who].user

    page = _assess_on_page(client, user, org["owner"], coaching_competency)
    api = _assess_through_api(client, user, org["owner"], coaching_competency)

    assert (page[0], api[0]) == (page_status, api_status)
    if refusal is not None:
        assert html.escape(str(refusal)) in page[1] and api[1] == str(refusal)
    recorded = Assessment.objects.filter(person=org["owner"], assessor=user).count()
    assert recorded == (2 if api_status == 201 else 0)


# -- one active plan per person -------------------------------------------------------------------------------


def _activate_on_page(client, user, plan) -> str | None:
    response = login_as(client, user).post(reverse("coaching:plan-activate", args=[plan.pk]))
    assert response.status_code == 302
    errors = [message.message for message in get_messages(response.wsgi_request) if message.level_tag == "error"]
    return errors[0] if errors else None


def _activate_through_api(client, user, plan) -> str | None:
    response = api_client(user).post(reverse("plan-activate", args=[plan.pk]))
    if response.status_code == 200:
        return None
    assert response.status_code == 400, response.content
    return response.json()["detail"]


@pytest.mark.parametrize("path", [_activate_on_page, _activate_through_api], ids=["page", "API"])
def test_a_second_active_plan_is_refused_alike_on_the_page_and_the_api(client, org, sellers_plan, path):
    coach, seller = org["owner"].user, org["seller"]
    second = services.plan_create(coachee=seller, coach=org["owner"], by=coach, title="Next quarter")
    services.plan_activate(plan=sellers_plan["plan"], by=coach)

    answer = path(client, coach, second)

    assert answer is not None and "already has an active plan" in answer
    assert CoachingPlan.objects.get(pk=second.pk).state == CoachingPlan.State.DRAFT
    page = login_as(client, coach).get(reverse("coaching:team")).content.decode()
    assert reverse("coaching:plan-create", args=[seller.pk]) not in page  # the team page offers the plan instead
