"""A leaver's open coaching work: handed on, and recorded for the person above them to be told."""

from django.db import transaction
from django.db.models import Count, Q

from coaching.models import OPEN_TASK_STATES, CoachingPlan, LeaverHandover
from coaching.services.plans import plans_hand_over_from_leaver
from enablement.models import Person

OPEN_PLAN_STATES = (CoachingPlan.State.DRAFT, CoachingPlan.State.ACTIVE)


def _open_work(person: Person, successor: Person | None) -> dict[str, int]:
    """How many open plans of their own `person` has, and how many open tasks the open plans they coach
    (those `plans_hand_over_from_leaver` hands to `successor`) hold. One query."""
    counts = {"own": Count("pk", filter=Q(coachee=person), distinct=True)}
    if successor is not None:
        handed = Q(coach=person, tasks__state__in=OPEN_TASK_STATES) & ~Q(coachee=successor)
        counts["tasks"] = Count("tasks", filter=handed)
    plans = CoachingPlan.objects.filter(Q(coachee=person) | Q(coach=person), state__in=OPEN_PLAN_STATES)
    return {"tasks": 0, **plans.aggregate(**counts)}


@transaction.atomic
def leaver_work_hand_over(
    *, person: Person, successor: Person | None, escalate_to: Person | None
) -> LeaverHandover | None:
    """Hands `person`'s open coaching work on (`plans_hand_over_from_leaver`: the plans they coach go to
    `successor`, their own open plans are archived) and records what happened, flagged for
    `escalate_to` (the manager's manager) or, when there is none still employed, for `successor`.
    Returns the record, or None when the leaver had no open work (nothing is recorded).

    Runs in the termination's transaction: a fixed number of queries for the counts and the record,
    besides the handover's own. Not idempotent on its own: the caller runs it once per termination."""
    work = _open_work(person, successor)
    handed_over = plans_hand_over_from_leaver(person=person, successor=successor)
    if not (handed_over or work["own"]):
        return None
    flag_for = escalate_to if escalate_to is not None and not escalate_to.is_terminated else successor
    return LeaverHandover.objects.create(
        leaver=person,
        successor=successor if handed_over else None,
        flag_for=flag_for,
        plans_handed_over=handed_over,
        open_tasks=work["tasks"] if handed_over else 0,
        own_plans_archived=work["own"],
    )
