"""What `coaching` announces to webhook endpoints: one payload per signal, written to the outbox in the
transaction of the change. `EVENT_TYPES` documents each payload, field by field (registered with
enablement.webhooks.events by `CoachingConfig.ready()`). No descriptions, notes or session text: titles,
states, dates and ids only. Payloads are built lazily: with no endpoint listening, no query runs to build
them."""

from collections.abc import Iterator

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q

from coaching.models import CoachingPlan, CoachingTask, Goal
from enablement.webhooks.events import PERSON_REF, EventType
from enablement.webhooks.outbox import emit
from enablement.webhooks.payloads import person_ref, user_person_ref

EVENT_TYPES = (
    EventType(
        "coaching_task.completed",
        "A coaching task was marked done.",
        {
            "id": "the task's id",
            "plan_id": "the coaching plan's id",
            "goal_id": "the goal it serves, or null",
            "competency": "the key of the goal's competency, or null",
            "kind": "training, practice, shadowing, mentorship, reading or one_on_one",
            "title": "the task's title (its description is not sent)",
            "assignee": f"{PERSON_REF} whose task it is",
            "due_on": "date",
            "completed_at": "time",
            "completed_by": f"{PERSON_REF} who marked it done, or null",
        },
    ),
    EventType(
        "coaching_plan.completed",
        "A coaching plan was completed (its open tasks are cancelled).",
        {
            "id": "the plan's id",
            "coachee": PERSON_REF,
            "coach": PERSON_REF,
            "period_start": "date",
            "period_end": "date",
            "completed_at": "time",
            "goals": '{"total", "achieved", "dropped", "open"}: counts',
            "tasks": '{"total", "done", "cancelled"}: counts',
        },
    ),
)


def coaching_task_completed(sender, *, task: CoachingTask, by: AbstractBaseUser | None, **kwargs) -> None:
    def payloads() -> Iterator[dict]:
        goal = task.goal
        yield {
            "id": task.pk,
            "plan_id": task.plan_id,
            "goal_id": task.goal_id,
            "competency": goal.competency.key if goal is not None and goal.competency_id else None,
            "kind": task.kind,
            "title": task.title,
            "assignee": person_ref(task.assignee),
            "due_on": task.due_on,
            "completed_at": task.completed_at,
            "completed_by": user_person_ref(by),
        }

    emit("coaching_task.completed", payloads())


def _counts(queryset, states) -> dict:
    aggregates = {"total": Count("pk")} | {state.value: Count("pk", filter=Q(state=state)) for state in states}
    return queryset.aggregate(**aggregates)


def coaching_plan_completed(sender, *, plan: CoachingPlan, by: AbstractBaseUser | None, **kwargs) -> None:
    def payloads() -> Iterator[dict]:
        yield {
            "id": plan.pk,
            "coachee": person_ref(plan.coachee),
            "coach": person_ref(plan.coach),
            "period_start": plan.period_start,
            "period_end": plan.period_end,
            "completed_at": plan.completed_at,
            "goals": _counts(plan.goals.all(), Goal.State),
            "tasks": _counts(plan.tasks.all(), [CoachingTask.State.DONE, CoachingTask.State.CANCELLED]),
        }

    emit("coaching_plan.completed", payloads())


def connect() -> None:
    from coaching import signals

    signals.coaching_task_completed.connect(coaching_task_completed, dispatch_uid="coaching.webhooks.task_completed")
    signals.coaching_plan_completed.connect(coaching_plan_completed, dispatch_uid="coaching.webhooks.plan_completed")
