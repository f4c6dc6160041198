"""What cannot be undone is confirmed first, and what can be is offered an undo: completing a plan (it
cancels the open tasks) asks on a page of its own; a task marked done or cancelled can be reopened, from
the message that follows and from the plan page, by who may do the opposite."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.models import ActivityKind, CoachingPlan, CoachingTask
from coaching.services import plans as services
from tests.helpers import login_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def active_plan(org):
    """The seller's active plan, coached by owner, with two open tasks for the seller."""
    plan = services.plan_create(coachee=org["seller"], coach=org["owner"], by=None, title="Seller plan")
    services.plan_activate(plan=plan, by=None)
    tasks = [
        services.task_add(
            plan=plan,
            title=title,
            kind=ActivityKind.PRACTICE,
            assignee=org["seller"],
            due_on=timezone.localdate() + datetime.timedelta(days=7),
            by=None,
        )
        for title in ("Shadow a top seller", "Role-play discovery")
    ]
    return {"plan": plan, "tasks": tasks}


def test_completing_a_plan_asks_first_and_lists_the_tasks_it_cancels(client, org, active_plan):
    plan = active_plan["plan"]
    login_as(client, org["owner"])
    detail = client.get(reverse("coaching:plan-detail", args=[plan.pk])).content.decode()
    assert f'href="{reverse("coaching:plan-complete", args=[plan.pk])}"' in detail  # a link to the question

    question = client.get(reverse("coaching:plan-complete", args=[plan.pk]))
    page = question.content.decode()
    assert question.status_code == 200 and 'data-testid="confirm-complete"' in page
    assert "Shadow a top seller" in page and "Role-play discovery" in page and "2 open tasks are cancelled" in page
    assert CoachingPlan.objects.get(pk=plan.pk).state == CoachingPlan.State.ACTIVE  # asking changes nothing

    client.post(reverse("coaching:plan-complete", args=[plan.pk]))
    assert CoachingPlan.objects.get(pk=plan.pk).state == CoachingPlan.State.COMPLETED
    assert set(plan.tasks.values_list("state", flat=True)) == {CoachingTask.State.CANCELLED}


@pytest.mark.parametrize(("persona", "status"), [("seller", 403), ("peer", 404)])
def test_the_completion_question_is_for_whoever_manages_the_plan(client, org, active_plan, persona, status):
    url = reverse("coaching:plan-complete", args=[active_plan["plan"].pk])
    assert login_as(client, org[persona]).get(url).status_code == status


def test_done_offers_undo_and_undo_reopens_the_task(client, org, active_plan):
    task = active_plan["tasks"][0]
    login_as(client, org["seller"])
    response = client.post(reverse("coaching:task-complete", args=[task.pk]), follow=True)
    undo = response.content.decode().split('data-testid="undo"')[0].rsplit("<form", 1)[1]
    assert reverse("coaching:task-reopen", args=[task.pk]) in undo
    assert CoachingTask.objects.get(pk=task.pk).state == CoachingTask.State.DONE

    client.post(reverse("coaching:task-reopen", args=[task.pk]))
    task.refresh_from_db()
    assert (task.state, task.completed_at, task.completed_by) == (CoachingTask.State.TODO, None, None)


def test_a_cancelled_task_is_reopened_by_the_coach_not_the_assignee(client, org, active_plan):
    task = active_plan["tasks"][1]
    login_as(client, org["owner"])
    response = client.post(reverse("coaching:task-state", args=[task.pk]), {"state": "cancelled"}, follow=True)
    page = response.content.decode()
    assert 'data-testid="undo"' in page and 'data-testid="reopen"' in page  # the message and the task row

    seller_page = login_as(client, org["seller"]).get(reverse("coaching:plan-detail", args=[task.plan_id]))
    assert reverse("coaching:task-reopen", args=[task.pk]) not in seller_page.content.decode()
    assert client.post(reverse("coaching:task-reopen", args=[task.pk])).status_code == 403
    assert CoachingTask.objects.get(pk=task.pk).state == CoachingTask.State.CANCELLED

    login_as(client, org["owner"]).post(reverse("coaching:task-reopen", args=[task.pk]))
    assert CoachingTask.objects.get(pk=task.pk).state == CoachingTask.State.TODO


def test_reopen_is_post_only_and_404_for_who_cannot_see_the_plan(client, org, active_plan):
    task = active_plan["tasks"][0]
    services.task_complete(task=task, by=None)
    url = reverse("coaching:task-reopen", args=[task.pk])
    assert login_as(client, org["seller"]).get(url).status_code == 405
    assert login_as(client, org["peer"]).post(url).status_code == 404
    assert CoachingTask.objects.get(pk=task.pk).state == CoachingTask.State.DONE


def test_a_completed_plans_tasks_are_not_reopened(client, org, active_plan):
    task = active_plan["tasks"][0]
    services.task_complete(task=task, by=None)
    services.plan_complete(plan=active_plan["plan"], by=None)
    page = login_as(client, org["owner"]).get(reverse("coaching:plan-detail", args=[task.plan_id])).content.decode()
    assert 'data-testid="reopen"' not in page
    client.post(reverse("coaching:task-reopen", args=[task.pk]))
    assert CoachingTask.objects.get(pk=task.pk).state == CoachingTask.State.DONE
