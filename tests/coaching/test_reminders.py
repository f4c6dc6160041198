"""Coaching task reminders: the assignee when a task is due soon, due today and overdue; the coach
COACHING_TASK_ESCALATE_AFTER_DAYS after the due date. Once per task and due date, only open tasks of
active plans, only recipients with an active login."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.models import ActivityKind, CoachingPlan, CoachingTask
from coaching.reminders import (
    COACHING_REMINDER_KINDS,
    TASK_DUE_SOON,
    TASK_DUE_TODAY,
    TASK_OVERDUE,
    TASK_OVERDUE_ESCALATION,
    task_due_soon_reminders,
    task_due_today_reminders,
    task_overdue_escalations,
    task_overdue_reminders,
    tasks_still_coming_up,
    tasks_still_due,
    tasks_still_overdue,
)
from coaching.services import plans as services
from enablement.models import Reminder
from enablement.notifications import registry
from enablement.notifications.registry import get_kind, register_kind
from enablement.notifications.services import reminders_sweep

pytestmark = pytest.mark.django_db

SWEEPS = {
    TASK_DUE_SOON: task_due_soon_reminders,
    TASK_DUE_TODAY: task_due_today_reminders,
    TASK_OVERDUE: task_overdue_reminders,
    TASK_OVERDUE_ESCALATION: task_overdue_escalations,
}


@pytest.fixture
def registered_kinds(monkeypatch):
    """The coaching kinds in the registry for one test, as `CoachingConfig.ready()` registers them; the
    registry is put back afterwards."""
    monkeypatch.setattr(registry, "_kinds", dict(registry._kinds))
    for kind in COACHING_REMINDER_KINDS:
        register_kind(kind)


@pytest.fixture
def plan(org, leader, owner):
    """`owner`'s active plan, coached by `leader`, with no task yet."""
    plan = services.plan_create(coachee=owner, coach=leader, by=leader.user, title="Owner's plan")
    return services.plan_activate(plan=plan, by=leader.user)


def _today() -> datetime.date:
    return timezone.localdate()


def _task(plan, days: int, *, assignee=None, title: str = "", state: str = CoachingTask.State.TODO) -> CoachingTask:
    """A task of `plan` due `days` from today (negative: in the past), for the coachee unless said."""
    task = services.task_add(
        plan=plan,
        title=title or f"Task due in {days} days",
        kind=ActivityKind.PRACTICE,
        assignee=assignee or plan.coachee,
        due_on=_today() + datetime.timedelta(days=days),
        by=None,
    )
    if state == CoachingTask.State.DONE:
        services.task_complete(task=task, by=plan.coachee.user)
    elif state != CoachingTask.State.TODO:
        services.task_set_state(task=task, state=state, by=None)
    return task


def _reminded(sweep, now=None) -> list[tuple[str, int]]:
    """(task title, recipient id) of what `sweep` proposes now, sorted."""
    titles = dict(CoachingTask.objects.values_list("pk", "title"))
    return sorted((titles[draft.target_id], draft.recipient_id) for draft in sweep(now or timezone.now()))


# When each kind fires: the day boundaries.


def test_due_soon_covers_tomorrow_to_the_due_soon_days_and_not_today(plan, owner):
    for days in (0, 1, 3, 4):
        _task(plan, days)
    assert _reminded(task_due_soon_reminders) == [("Task due in 1 days", owner.pk), ("Task due in 3 days", owner.pk)]


def test_due_soon_days_come_from_the_setting(plan, owner, settings):
    _task(plan, 4)
    _task(plan, 6)
    settings.COACHING_TASK_DUE_SOON_DAYS = 5
    assert _reminded(task_due_soon_reminders) == [("Task due in 4 days", owner.pk)]
    del settings.COACHING_TASK_DUE_SOON_DAYS  # without it: 3
    assert _reminded(task_due_soon_reminders) == []


def test_due_today_is_only_for_tasks_due_today(plan, owner):
    for days in (-1, 0, 1):
        _task(plan, days)
    assert _reminded(task_due_today_reminders) == [("Task due in 0 days", owner.pk)]


def test_overdue_starts_the_day_after_the_due_date(plan, owner):
    for days in (-30, -1, 0):
        _task(plan, days)
    assert _reminded(task_overdue_reminders) == [("Task due in -1 days", owner.pk), ("Task due in -30 days", owner.pk)]


def test_the_day_follows_the_time_the_sweep_is_given(plan, owner):
    _task(plan, 0)
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    assert _reminded(task_due_today_reminders, tomorrow) == []
    assert _reminded(task_overdue_reminders, tomorrow) == [("Task due in 0 days", owner.pk)]


def test_escalation_goes_to_the_coach_the_escalation_days_after_the_due_date(plan, leader):
    for days in (-2, -3, -10):
        _task(plan, days)
    assert _reminded(task_overdue_escalations) == [
        ("Task due in -10 days", leader.pk),
        ("Task due in -3 days", leader.pk),
    ]


def test_escalation_days_come_from_the_setting(plan, leader, settings):
    _task(plan, -2)
    settings.COACHING_TASK_ESCALATE_AFTER_DAYS = 2
    assert _reminded(task_overdue_escalations) == [("Task due in -2 days", leader.pk)]
    del settings.COACHING_TASK_ESCALATE_AFTER_DAYS  # without it: 3
    assert _reminded(task_overdue_escalations) == []


def test_escalation_is_not_sent_to_a_coach_who_is_the_assignee(plan, leader):
    _task(plan, -5, assignee=leader, title="Coach's own task")
    _task(plan, -5, title="Coachee's task")
    assert _reminded(task_overdue_escalations) == [("Coachee's task", leader.pk)]
    # the coach still hears about their own task as its assignee
    assert ("Coach's own task", leader.pk) in _reminded(task_overdue_reminders)


# What never fires.


@pytest.mark.parametrize("days", [-5, 0, 2])
@pytest.mark.parametrize("state", [CoachingTask.State.DONE, CoachingTask.State.CANCELLED])
def test_done_and_cancelled_tasks_are_not_reminded(plan, days, state):
    _task(plan, days, state=state)
    assert all(sweep(timezone.now()) == [] for sweep in SWEEPS.values())


def test_tasks_in_progress_are_still_reminded(plan, owner, leader):
    _task(plan, -5, state=CoachingTask.State.IN_PROGRESS)
    assert _reminded(task_overdue_reminders) == [("Task due in -5 days", owner.pk)]
    assert _reminded(task_overdue_escalations) == [("Task due in -5 days", leader.pk)]


def test_tasks_of_plans_that_are_not_active_are_not_reminded(org, leader):
    draft = services.plan_create(coachee=org["peer"], coach=leader, by=leader.user)
    for days in (-5, 0, 2):
        _task(draft, days)
    assert all(sweep(timezone.now()) == [] for sweep in SWEEPS.values())
    # and once the plan is active, they are
    services.plan_activate(plan=draft, by=leader.user)
    assert all(len(sweep(timezone.now())) == 1 for sweep in SWEEPS.values())


def test_recipients_without_an_active_login_are_not_reminded(plan, owner, leader):
    for days in (-5, 0, 2):
        _task(plan, days)
    owner.user.is_active = False
    owner.user.save(update_fields=["is_active"])
    assert _reminded(task_due_soon_reminders) == _reminded(task_due_today_reminders) == []
    assert _reminded(task_overdue_reminders) == []
    assert _reminded(task_overdue_escalations) == [("Task due in -5 days", leader.pk)]  # the coach still can act
    leader.user.is_active = False
    leader.user.save(update_fields=["is_active"])
    assert _reminded(task_overdue_escalations) == []


# What a reminder says and where it leads.


def test_reminders_name_the_task_and_lead_to_the_plan(plan, owner, leader):
    task = _task(plan, -4, title="Run a blameless lost-deal retro")
    (overdue,) = task_overdue_reminders(timezone.now())
    (escalation,) = task_overdue_escalations(timezone.now())

    assert (overdue.target, overdue.target_id, overdue.occasion) == (CoachingTask, task.pk, task.due_on.isoformat())
    assert overdue.subject == "Coaching task overdue: Run a blameless lost-deal retro"
    assert f"your development plan with {leader.full_name}" in overdue.message
    assert escalation.subject == f"Overdue coaching task: {owner.full_name}, Run a blameless lost-deal retro"
    assert overdue.url == escalation.url == reverse("coaching:plan-detail", args=[plan.pk])


def test_a_coach_reminded_of_their_own_task_reads_whose_plan_it_is(plan, owner, leader):
    _task(plan, 0, assignee=leader, title="Introduce Sam to the CFO")
    (draft,) = task_due_today_reminders(timezone.now())
    assert draft.recipient_id == leader.pk
    assert f"the development plan of {owner.full_name}" in draft.message


# Closing: the task done, the plan no longer active, the task moved past what the reminder was about.


def test_still_open_drops_done_tasks_and_tasks_of_finished_plans(plan, org, leader):
    done, open_task = _task(plan, -2), _task(plan, -2)
    services.task_complete(task=done, by=None)
    assert tasks_still_overdue({done.pk, open_task.pk}) == {open_task.pk}
    services.plan_complete(plan=CoachingPlan.objects.get(pk=plan.pk), by=leader.user)
    services.plan_archive(plan=CoachingPlan.objects.get(pk=plan.pk), by=leader.user)
    assert tasks_still_overdue({open_task.pk}) == set()


def test_still_open_follows_the_due_date(plan):
    soon, today, late = _task(plan, 2), _task(plan, 0), _task(plan, -1)
    ids = {soon.pk, today.pk, late.pk}
    assert tasks_still_coming_up(ids) == {soon.pk}
    assert tasks_still_due(ids) == {soon.pk, today.pk}
    assert tasks_still_overdue(ids) == {late.pk}


# Through the platform's sweep: once per task and due date.


@pytest.mark.parametrize(
    "kind_name, days", [(TASK_DUE_SOON, 2), (TASK_DUE_TODAY, 0), (TASK_OVERDUE, -1), (TASK_OVERDUE_ESCALATION, -4)]
)
def test_reminders_sweep_creates_each_reminder_once(plan, registered_kinds, kind_name, days):
    task = _task(plan, days)
    kind = get_kind(kind_name)

    reminders_sweep(kind=kind)
    reminders_sweep(kind=kind)

    reminders = Reminder.objects.filter(kind=kind_name)
    assert list(reminders.values_list("target_id", "occasion")) == [(task.pk, task.due_on.isoformat())]
    assert SWEEPS[kind_name](timezone.now()) == []  # nothing new for the next sweep to load


def test_a_rescheduled_task_is_reminded_again_and_the_old_reminder_closes(plan, owner, registered_kinds):
    task = _task(plan, -2)
    kind = get_kind(TASK_OVERDUE)
    reminders_sweep(kind=kind)

    # Moved to a date that has passed too (say, agreed in a 1:1 that was then missed): reminded again
    task.due_on = _today() - datetime.timedelta(days=1)
    task.save(update_fields=["due_on", "updated_at"])
    reminders_sweep(kind=kind)
    reminders_sweep(kind=kind)
    reminders = Reminder.objects.filter(kind=TASK_OVERDUE, target_id=task.pk)
    assert reminders.count() == 2

    # Moved to next week: no longer overdue, so the open reminders close
    task.due_on = _today() + datetime.timedelta(days=7)
    task.save(update_fields=["due_on", "updated_at"])
    reminders_sweep(kind=kind)
    assert set(reminders.values_list("status", flat=True)) == {Reminder.Status.DROPPED}


def test_a_done_task_closes_its_reminder(plan, registered_kinds):
    task = _task(plan, 0)
    kind = get_kind(TASK_DUE_TODAY)
    reminders_sweep(kind=kind)
    services.task_complete(task=task, by=None)
    reminders_sweep(kind=kind)
    assert Reminder.objects.get(kind=TASK_DUE_TODAY).status == Reminder.Status.DROPPED


# Query counts: one query each (plus the cached content type lookup), however many tasks.


@pytest.mark.parametrize(
    "kind_name, days", [(TASK_DUE_SOON, 2), (TASK_DUE_TODAY, 0), (TASK_OVERDUE, -1), (TASK_OVERDUE_ESCALATION, -4)]
)
def test_sweeps_run_a_fixed_number_of_queries(plan, kind_name, days, django_assert_max_num_queries):
    sweep = SWEEPS[kind_name]
    for _ in range(2):
        _task(plan, days)
    with django_assert_max_num_queries(2):
        few = sweep(timezone.now())

    for _ in range(10):
        _task(plan, days)
    with django_assert_max_num_queries(2):
        many = sweep(timezone.now())

    assert (len(few), len(many)) == (2, 12)
