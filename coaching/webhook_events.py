"""What `coaching` announces to webhook endpoints: one payload per signal, written to the outbox in the
transaction of the change (the payloads are documented in enablement.webhooks.events). No descriptions,
notes or session text: titles, states, dates and ids only. Payloads are built lazily: with no endpoint
listening, no query runs to build them."""

from collections.abc import Iterator

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q

from coaching.models import CoachingPlan, CoachingTask, Goal
from enablement.webhooks.outbox import emit
from enablement.webhooks.payloads import person_ref, user_person_ref


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
