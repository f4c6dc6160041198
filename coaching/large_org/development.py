"""Assessments of the managers, and coaching plans with goals, tasks and 1:1s."""

import datetime

from coaching.large_org.build import BATCH, Org, Shape
from coaching.large_org.charters import Framework
from coaching.models import Assessment, AssessmentRating, CoachingPlan, CoachingSession, CoachingTask, Goal
from coaching.models.plans import ActivityKind

SOURCES = ("leader", "self", "peer")
KINDS = [kind for kind, _label in ActivityKind.choices]


def build_assessments(org: Org, framework: Framework, today: datetime.date) -> None:
    """Nine managers in ten assessed by two or three sources on every competency their role requires."""
    assessed = [manager for index, manager in enumerate(org.managers) if index % 10 != 4]
    assessments = Assessment.objects.bulk_create(
        (
            Assessment(
                person=manager,
                source=source,
                assessor=org.cso.user if source == "leader" else None,
                assessed_on=today - datetime.timedelta(days=30 + n * 7),
                summary="Observed in call reviews and a pipeline review.",
            )
            for index, manager in enumerate(assessed)
            for n, source in enumerate(SOURCES[: 2 + index % 2])
        ),
        batch_size=BATCH,
    )
    AssessmentRating.objects.bulk_create(
        (
            AssessmentRating(
                assessment=assessment,
                competency=competency,
                level=1 + (assessment.person_id + n + len(assessment.source)) % 4,
                evidence="Seen in two deals this quarter.",
            )
            for assessment in assessments
            for n, competency in enumerate(framework.required[framework.role_of[assessment.person_id].pk])
        ),
        batch_size=BATCH,
    )


def _plan_owners(shape: Shape, org: Org) -> list[tuple[int, int]]:
    """(coachee, coach) for `shape.plans` plans: every manager (coached by their director), then sellers
    (coached by their manager) until the count is reached; a few hundred sellers have a second, completed
    plan so the count holds at any size."""
    owners = [(manager.pk, manager.manager_id) for manager in org.managers]
    owners += [(seller.pk, seller.manager_id) for seller in org.sellers]
    while len(owners) < shape.plans:
        owners += owners[: shape.plans - len(owners)]
    return owners[: shape.plans]


def build_plans(shape: Shape, org: Org, framework: Framework, now: datetime.datetime) -> None:
    """`shape.plans` plans (the first of each person active, any repeat completed), two goals each,
    `shape.tasks_per_plan` tasks spread from eight weeks ago to eight weeks ahead (done, open, overdue),
    and a 1:1 on every other plan."""
    today = now.date()
    seen: set[int] = set()
    plans = []
    for index, (coachee, coach) in enumerate(_plan_owners(shape, org)):
        first = coachee not in seen
        seen.add(coachee)
        plans.append(
            CoachingPlan(
                coachee_id=coachee,
                coach_id=coach,
                title="Development plan" if first else "Last year's plan",
                period_start=today - datetime.timedelta(days=60 if first else 400),
                period_end=today + datetime.timedelta(days=60 if first else -220),
                state="active" if first else "completed",
                activated_at=now - datetime.timedelta(days=60 if first else 400),
                completed_at=None if first else now - datetime.timedelta(days=220 + index % 30),
            )
        )
    plans = CoachingPlan.objects.bulk_create(plans, batch_size=BATCH)
    competencies = framework.competencies
    goals = Goal.objects.bulk_create(
        (
            Goal(
                plan=plan,
                competency=competencies[(plan.coachee_id + n) % len(competencies)],
                title=f"Level up in {competencies[(plan.coachee_id + n) % len(competencies)].name}",
                target_level=3,
                due_on=plan.period_end,
                position=n,
                state="open" if plan.state == "active" else "achieved",
            )
            for plan in plans
            for n in range(2)
        ),
        batch_size=BATCH,
    )
    goals_of: dict[int, list[Goal]] = {}
    for goal in goals:
        goals_of.setdefault(goal.plan_id, []).append(goal)
    tasks = []
    for plan in plans:
        active = plan.state == "active"
        for n in range(shape.tasks_per_plan):
            due = today + datetime.timedelta(days=(n * 11 - 56) + plan.pk % 7) if active else plan.period_end
            done = not active or (due < today and (plan.pk + n) % 3 != 0)  # a third of the past ones overdue
            tasks.append(
                CoachingTask(
                    plan=plan,
                    goal=goals_of[plan.pk][n % 2],
                    kind=KINDS[n % len(KINDS)],
                    title=f"Step {n + 1}: {KINDS[n % len(KINDS)].replace('_', ' ')}",
                    assignee_id=plan.coachee_id,
                    due_on=due,
                    state="done" if done else ("in_progress" if n % 4 == 1 else "todo"),
                    completed_at=now - datetime.timedelta(days=1) if done else None,
                )
            )
    CoachingTask.objects.bulk_create(tasks, batch_size=BATCH)
    CoachingSession.objects.bulk_create(
        (
            CoachingSession(plan=plan, held_on=today - datetime.timedelta(days=7 + plan.pk % 20), notes="1:1 notes.")
            for plan in plans[::2]
        ),
        batch_size=BATCH,
    )
