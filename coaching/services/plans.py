"""Coaching plans, goals, tasks, sessions and the development-activity library. Each write runs in one
transaction. It first asks `coaching.policy` whether `by` may do it (PermissionDenied with the policy's
message; `by=None` is the platform: a hire's first plan, a leaver's hand-over, the demo), then checks what
the data itself forbids (a finished plan does not change, a task done stays done: ValidationError)."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coaching import policy, signals
from coaching.models import (
    OPEN_TASK_STATES,
    ActivityKind,
    CoachingPlan,
    CoachingSession,
    CoachingTask,
    DevelopmentActivity,
    Goal,
)
from coaching.selectors.gaps import top_gaps
from enablement.accounts.policy import require
from enablement.models import Person
from enablement.org.services import apply_validated, changed_fields
from managers.models import Competency

PLAN_DAYS = 90
GOALS_FROM_GAPS = 3
ACTIVITIES_PER_GOAL = 2
GOAL_FIELDS = ("title", "target_level", "due_on", "state", "note")
ARCHIVE_ACTIVE_REFUSED = _("An active plan is completed before it is archived.")


def _require_open(plan: CoachingPlan) -> None:
    if not plan.is_open:
        raise ValidationError(
            _("This plan is %(state)s and no longer changes.") % {"state": plan.get_state_display().lower()}
        )


def _validated(instance):
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def plan_create(
    *,
    coachee: Person,
    coach: Person,
    by: AbstractBaseUser | None,
    title: str = "",
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
) -> CoachingPlan:
    """A draft plan from scratch (PLAN_DAYS long unless given), started by someone above the coachee with a
    coach they may name (`policy.coaches_for`). Raises PermissionDenied and ValidationError."""
    require(by, policy.can_start_plan, coachee, message=policy.START_PLAN_DENIED)
    if by is not None and not policy.coaches_for(by, coachee).filter(pk=coach.pk).exists():
        raise ValidationError({"coach": _("The coach is you, a manager above the coachee or a manager below you.")})
    if coachee.is_terminated:
        raise ValidationError(_("%(person)s has left.") % {"person": coachee})
    start = period_start or timezone.localdate()
    plan = CoachingPlan(
        coachee=coachee,
        coach=coach,
        created_by=by,
        period_start=start,
        period_end=period_end or start + datetime.timedelta(days=PLAN_DAYS),
        title=title.strip() or _("Development plan: %(person)s") % {"person": coachee},
    )
    return _validated(plan)


@transaction.atomic
def plan_start_from_gaps(
    *,
    coachee: Person,
    coach: Person,
    by: AbstractBaseUser | None,
    title: str = "",
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
) -> CoachingPlan:
    """A draft plan with a goal for each of the coachee's GOALS_FROM_GAPS largest weighted gaps (target:
    the required level; due dates spread over the period) and, per goal, the first ACTIVITIES_PER_GOAL
    active activities of the library for that competency as tasks for the coachee. A coachee without a
    known gap gets an empty draft."""
    plan = plan_create(
        coachee=coachee, coach=coach, by=by, title=title, period_start=period_start, period_end=period_end
    )
    gaps = top_gaps(coachee, limit=GOALS_FROM_GAPS)
    activities = _activities_by_competency([gap.competency for gap in gaps])
    span = (plan.period_end - plan.period_start).days
    for position, gap in enumerate(gaps):
        due_on = plan.period_start + datetime.timedelta(days=span * (position + 1) // len(gaps))
        title = _("Reach level %(level)s in %(competency)s") % {
            "level": gap.required_level,
            "competency": gap.competency,
        }
        goal = Goal.objects.create(
            plan=plan,
            competency=gap.competency,
            position=position,
            due_on=due_on,
            title=title,
            baseline_level=gap.assessed_level,
            target_level=gap.required_level,
        )
        for activity in activities.get(gap.competency.pk, [])[:ACTIVITIES_PER_GOAL]:
            CoachingTask.objects.create(
                plan=plan,
                goal=goal,
                activity=activity,
                kind=activity.kind,
                title=activity.title,
                description=activity.description,
                assignee=coachee,
                due_on=min(plan.period_start + datetime.timedelta(days=activity.duration_days), due_on),
            )
    return plan


def _activities_by_competency(competencies: Iterable[Competency]) -> dict[int, list[DevelopmentActivity]]:
    by_competency: dict[int, list[DevelopmentActivity]] = {}
    for activity in DevelopmentActivity.objects.filter(competency__in=list(competencies), is_active=True):
        by_competency.setdefault(activity.competency_id, []).append(activity)
    return by_competency


def _set_state(plan: CoachingPlan, state: str, **extra) -> CoachingPlan:
    plan.state = state
    for name, value in extra.items():
        setattr(plan, name, value)
    plan.save(update_fields=["state", *extra, "updated_at"])
    return plan


@transaction.atomic
def plan_activate(*, plan: CoachingPlan, by: AbstractBaseUser | None) -> CoachingPlan:
    """Makes a draft the coachee's active plan. Refused while another plan of theirs is active."""
    plan = CoachingPlan.objects.select_for_update().get(pk=plan.pk)
    require(by, policy.can_manage_plan, plan, message=policy.PLAN_DENIED)
    # Two drafts of one coachee activated at once: the coachee's row serialises them (the unique
    # constraint would otherwise answer the second with an IntegrityError on PostgreSQL).
    Person.objects.select_for_update().get(pk=plan.coachee_id)
    if plan.state != CoachingPlan.State.DRAFT:
        raise ValidationError(_("Only a draft can be activated."))
    if CoachingPlan.objects.filter(coachee=plan.coachee, state=CoachingPlan.State.ACTIVE).exists():
        raise ValidationError(
            _("%(person)s already has an active plan: complete or archive it first.") % {"person": plan.coachee}
        )
    return _set_state(plan, CoachingPlan.State.ACTIVE, activated_at=timezone.now())


@transaction.atomic
def plan_complete(*, plan: CoachingPlan, by: AbstractBaseUser | None) -> CoachingPlan:
    """Completes an active plan; its open tasks are cancelled. Sends `coaching_plan_completed`."""
    plan = CoachingPlan.objects.select_for_update().get(pk=plan.pk)
    require(by, policy.can_manage_plan, plan, message=policy.PLAN_DENIED)
    if plan.state != CoachingPlan.State.ACTIVE:
        raise ValidationError(_("Only an active plan can be completed."))
    plan.tasks.filter(state__in=[CoachingTask.State.TODO, CoachingTask.State.IN_PROGRESS]).update(
        state=CoachingTask.State.CANCELLED, updated_at=timezone.now()
    )
    plan = _set_state(plan, CoachingPlan.State.COMPLETED, completed_at=timezone.now())
    signals.coaching_plan_completed.send(sender=CoachingPlan, plan=plan, by=by)
    return plan


@transaction.atomic
def plan_archive(*, plan: CoachingPlan, by: AbstractBaseUser | None) -> CoachingPlan:
    """Puts a draft or a completed plan away (an abandoned draft, an old plan); its open tasks are
    cancelled. An active plan is completed first (ValidationError), unless its coachee left: a leaver's open
    plans are archived as they are. Archiving an archived plan changes nothing."""
    plan = CoachingPlan.objects.select_for_update().select_related("coachee").get(pk=plan.pk)
    require(by, policy.can_manage_plan, plan, message=policy.PLAN_DENIED)
    if plan.state == CoachingPlan.State.ARCHIVED:
        return plan
    if not plan.is_archivable:
        raise ValidationError(ARCHIVE_ACTIVE_REFUSED)
    plan.tasks.filter(state__in=[CoachingTask.State.TODO, CoachingTask.State.IN_PROGRESS]).update(
        state=CoachingTask.State.CANCELLED, updated_at=timezone.now()
    )
    return _set_state(plan, CoachingPlan.State.ARCHIVED)


@transaction.atomic
def goal_add(
    *,
    plan: CoachingPlan,
    title: str,
    due_on: datetime.date,
    by: AbstractBaseUser | None,
    competency: Competency | None = None,
    target_level: int | None = None,
) -> Goal:
    require(by, policy.can_manage_plan, plan, message=policy.PLAN_DENIED)
    _require_open(plan)
    position = plan.goals.count()
    return _validated(
        Goal(
            plan=plan,
            title=title.strip(),
            due_on=due_on,
            competency=competency,
            target_level=target_level,
            position=position,
        )
    )


@transaction.atomic
def goal_update(*, goal: Goal, by: AbstractBaseUser | None, **values) -> Goal:
    """Changes a goal's title, target, due date, state (open, achieved, dropped) or progress note; saves
    only what changed. The coachee changes its state and note, but does not drop it; whoever manages the
    plan changes anything."""
    require(by, policy.can_update_goal, goal, message=policy.GOAL_DENIED)
    require(by, policy.can_change_goal_fields, goal, values, message=policy.GOAL_FIELDS_DENIED)
    if "state" in values:
        require(by, policy.can_set_goal_state, goal, values["state"], message=policy.GOAL_DROP_DENIED)
    _require_open(goal.plan)
    changes = changed_fields(goal, values, GOAL_FIELDS)
    if changes:
        apply_validated(goal, changes)
        goal.save(update_fields=[*changes, "updated_at"])
    return goal


@transaction.atomic
def task_add(
    *,
    plan: CoachingPlan,
    title: str,
    kind: str,
    assignee: Person,
    due_on: datetime.date,
    by: AbstractBaseUser | None,
    goal: Goal | None = None,
    description: str = "",
    activity: DevelopmentActivity | None = None,
) -> CoachingTask:
    """Adds a task to an open plan, for its coachee or its coach; by whoever manages the plan."""
    require(by, policy.can_manage_plan, plan, message=policy.PLAN_DENIED)
    return _task_create(
        plan=plan,
        title=title,
        kind=kind,
        assignee=assignee,
        due_on=due_on,
        goal=goal,
        description=description,
        activity=activity,
    )


def _task_create(
    *,
    plan: CoachingPlan,
    title: str,
    kind: str,
    assignee: Person,
    due_on: datetime.date,
    goal: Goal | None = None,
    description: str = "",
    activity: DevelopmentActivity | None = None,
    session: CoachingSession | None = None,
) -> CoachingTask:
    _require_open(plan)
    if goal is not None and goal.plan_id != plan.pk:
        raise ValidationError({"goal": _("This goal belongs to another plan.")})
    if assignee.pk not in (plan.coachee_id, plan.coach_id):
        raise ValidationError({"assignee": _("A task goes to the coachee or the coach.")})
    task = CoachingTask(
        plan=plan,
        goal=goal,
        title=title.strip(),
        kind=kind,
        assignee=assignee,
        due_on=due_on,
        description=description.strip(),
        activity=activity,
        session=session,
    )
    return _validated(task)


TASK_FIELDS = ("title", "description", "due_on", "assignee")


@transaction.atomic
def task_update(*, task: CoachingTask, by: AbstractBaseUser | None, **values) -> CoachingTask:
    """Reschedules, renames, re-describes or reassigns (to the coachee or the coach) an open task of an
    open plan; saves only what changed. A task moved to a new date is reminded again for that date."""
    task = CoachingTask.objects.select_for_update().select_related("plan").get(pk=task.pk)
    require(by, policy.can_manage_plan, task.plan, message=policy.PLAN_DENIED)
    _require_open(task.plan)
    if not task.is_open:
        raise ValidationError(_("This task is %(state)s.") % {"state": task.get_state_display().lower()})
    changes = changed_fields(task, values, TASK_FIELDS)
    if "assignee" in changes and changes["assignee"].pk not in (task.plan.coachee_id, task.plan.coach_id):
        raise ValidationError({"assignee": _("A task goes to the coachee or the coach.")})
    if changes:
        apply_validated(task, changes)
        task.save(update_fields=[*changes, "updated_at"])
    return task


PLAN_FIELDS = ("title", "period_start", "period_end", "coach")


@transaction.atomic
def plan_update(*, plan: CoachingPlan, by: AbstractBaseUser | None, **values) -> CoachingPlan:
    """Renames an open plan, moves its period or hands it to another coach (who must still be employed,
    and not the coachee); saves only what changed."""
    plan = CoachingPlan.objects.select_for_update().get(pk=plan.pk)
    require(by, policy.can_manage_plan, plan, message=policy.PLAN_DENIED)
    _require_open(plan)
    changes = changed_fields(plan, values, PLAN_FIELDS)
    if "coach" in changes and changes["coach"].is_terminated:
        raise ValidationError({"coach": _("%(person)s has left.") % {"person": changes["coach"]}})
    if changes:
        apply_validated(plan, changes)
        plan.save(update_fields=[*changes, "updated_at"])
    return plan


@transaction.atomic
def task_complete(*, task: CoachingTask, by: AbstractBaseUser | None) -> CoachingTask:
    """Marks a task done, recording when and by whom. Idempotent: a task already done stays as it was
    (and nothing is sent again). A cancelled task cannot be done. By its assignee or whoever manages the
    plan. Sends `coaching_task_completed`."""
    task = CoachingTask.objects.select_for_update().get(pk=task.pk)
    require(by, policy.can_work_task, task, message=policy.TASK_DENIED)
    if task.state == CoachingTask.State.DONE:
        return task
    if task.state == CoachingTask.State.CANCELLED:
        raise ValidationError(_("This task was cancelled."))
    task.state, task.completed_at, task.completed_by = CoachingTask.State.DONE, timezone.now(), by
    task.save(update_fields=["state", "completed_at", "completed_by", "updated_at"])
    signals.coaching_task_completed.send(sender=CoachingTask, task=task, by=by)
    return task


@transaction.atomic
def task_set_state(*, task: CoachingTask, state: str, by: AbstractBaseUser | None) -> CoachingTask:
    """Moves an open task to to-do, in progress or cancelled (done goes through `task_complete`): by its
    assignee or whoever manages the plan, who alone cancels it."""
    if state == CoachingTask.State.DONE:
        return task_complete(task=task, by=by)
    task = CoachingTask.objects.select_for_update().get(pk=task.pk)
    require(by, policy.can_set_task_state, task, state, message=policy.TASK_DENIED)
    if not task.is_open:
        raise ValidationError(_("This task is %(state)s.") % {"state": task.get_state_display().lower()})
    if state not in CoachingTask.State.values:
        raise ValidationError({"state": _("Unknown state.")})
    if task.state != state:
        task.state = state
        task.save(update_fields=["state", "updated_at"])
    return task


@transaction.atomic
def task_reopen(*, task: CoachingTask, by: AbstractBaseUser | None) -> CoachingTask:
    """The undo of done and cancelled: the task is to do again (a done task forgets when and by whom), while
    its plan is open. Done is undone by whoever may work the task, cancelled by whoever may cancel it
    (`policy.can_set_task_state`). Idempotent: an open task stays as it is. The completion already announced
    (webhook `coaching.task.completed`) is not recalled; the next completion is announced again."""
    task = CoachingTask.objects.select_for_update().select_related("plan").get(pk=task.pk)
    require(by, policy.can_set_task_state, task, task.state, message=policy.TASK_DENIED)
    if task.is_open:
        return task
    _require_open(task.plan)
    task.state, task.completed_at, task.completed_by = CoachingTask.State.TODO, None, None
    task.save(update_fields=["state", "completed_at", "completed_by", "updated_at"])
    return task


@dataclass(frozen=True)
class NextStep:
    title: str
    due_on: datetime.date
    assignee: Person
    kind: str = ActivityKind.PRACTICE
    goal: Goal | None = None


@transaction.atomic
def session_record(
    *,
    plan: CoachingPlan,
    held_on: datetime.date,
    notes: str,
    by: AbstractBaseUser | None,
    next_steps: Sequence[NextStep] = (),
) -> CoachingSession:
    """Records a 1:1 with its notes; each agreed next step becomes a task of the plan linked to the session.
    Next steps are due on or after the 1:1; recorded by the coachee, they are the coachee's own. By the
    coachee or whoever manages the plan. All or nothing."""
    require(by, policy.can_record_session, plan, message=policy.SESSION_DENIED)
    _require_open(plan)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("A 1:1 is recorded once it happened.")})
    if any(step.due_on < held_on for step in next_steps):
        raise ValidationError({"next_steps": _("A next step is due after the 1:1 it was agreed in.")})
    if by is not None and by.pk == plan.coachee.user_id and any(step.assignee != plan.coachee for step in next_steps):
        # The coachee writes down what they will do; what the coach does, the coach writes down.
        raise ValidationError({"next_steps": _("Next steps you record are yours; your coach records theirs.")})
    session = _validated(CoachingSession(plan=plan, held_on=held_on, notes=notes.strip(), recorded_by=by))
    for step in next_steps:
        _task_create(
            plan=plan,
            title=step.title,
            kind=step.kind,
            assignee=step.assignee,
            due_on=step.due_on,
            goal=step.goal,
            session=session,
        )
    return session


ACTIVITY_FIELDS = ("kind", "title", "description", "duration_days", "is_active")


@transaction.atomic
def activity_create(*, competency: Competency, by: AbstractBaseUser | None, **values) -> DevelopmentActivity:
    require(by, policy.can_manage_activities, message=policy.ACTIVITIES_DENIED)
    return _validated(DevelopmentActivity(competency=competency, **values))


@transaction.atomic
def activity_update(*, activity: DevelopmentActivity, by: AbstractBaseUser | None, **values) -> DevelopmentActivity:
    require(by, policy.can_manage_activities, message=policy.ACTIVITIES_DENIED)
    changes = changed_fields(activity, values, ACTIVITY_FIELDS)
    if changes:
        apply_validated(activity, changes)
        activity.save(update_fields=[*changes, "updated_at"])
    return activity


@transaction.atomic
def plans_hand_over_from_leaver(*, person: Person, successor: Person | None) -> int:
    """When someone leaves: the open plans they coach go to `successor`, with the tasks they had taken on
    as coach; their own open plans are archived. Returns how many plans were handed over. Without a
    successor the plans keep their coach, for HR to reassign."""
    own = CoachingPlan.objects.filter(coachee=person, state__in=[CoachingPlan.State.DRAFT, CoachingPlan.State.ACTIVE])
    for plan in own:
        plan_archive(plan=plan, by=None)
    if successor is None:
        return 0
    coached = CoachingPlan.objects.filter(
        coach=person, state__in=[CoachingPlan.State.DRAFT, CoachingPlan.State.ACTIVE]
    ).exclude(coachee=successor)
    plan_ids = list(coached.values_list("pk", flat=True))
    their_tasks = CoachingTask.objects.filter(plan__in=plan_ids, assignee=person, state__in=OPEN_TASK_STATES)
    their_tasks.update(assignee=successor, updated_at=timezone.now())
    return CoachingPlan.objects.filter(pk__in=plan_ids).update(coach=successor, updated_at=timezone.now())
