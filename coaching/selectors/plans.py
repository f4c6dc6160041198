"""Reads for the coaching pages and API, each scoped to the asking user and a fixed number of queries."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from coaching import policy
from coaching.models import OPEN_TASK_STATES, Assessment, CoachingPlan, CoachingTask, Goal
from enablement.accounts.policy import User
from enablement.models import Person
from enablement.org.tree import InScope
from managers.models import RoleAssignment

DUE_SOON_DAYS = 7


def with_progress(plans: QuerySet[CoachingPlan]) -> QuerySet[CoachingPlan]:
    """Annotates the counts progress is derived from (see `progress_percent`)."""
    return plans.annotate(
        goals_counted=Count("goals", filter=~Q(goals__state=Goal.State.DROPPED), distinct=True),
        goals_achieved=Count("goals", filter=Q(goals__state=Goal.State.ACHIEVED), distinct=True),
        tasks_counted=Count("tasks", filter=~Q(tasks__state=CoachingTask.State.CANCELLED), distinct=True),
        tasks_done=Count("tasks", filter=Q(tasks__state=CoachingTask.State.DONE), distinct=True),
        tasks_overdue=Count(
            "tasks", filter=Q(tasks__state__in=OPEN_TASK_STATES, tasks__due_on__lt=timezone.localdate()), distinct=True
        ),
    )


def progress_percent(plan: CoachingPlan) -> int | None:
    """Achieved goals and done tasks over all goals and tasks still in play (dropped goals and cancelled
    tasks left out), in whole percent; None for a plan with nothing in it yet."""
    total = plan.goals_counted + plan.tasks_counted
    if not total:
        return None
    return round(100 * (plan.goals_achieved + plan.tasks_done) / total)


def plans_for(*, user: User) -> QuerySet[CoachingPlan]:
    return with_progress(plans_visible_to_with_people(user))


def plans_visible_to_with_people(user: User) -> QuerySet[CoachingPlan]:
    return policy.plans_visible_to(user).select_related("coachee", "coach")


@dataclass(frozen=True)
class TaskBuckets:
    overdue: list[CoachingTask]
    due_soon: list[CoachingTask]
    later: list[CoachingTask]


def open_tasks_of(person: Person, today: datetime.date | None = None) -> TaskBuckets:
    """A person's open tasks: overdue, due within DUE_SOON_DAYS, and later. One query."""
    today = today or timezone.localdate()
    tasks = CoachingTask.objects.filter(assignee=person, state__in=OPEN_TASK_STATES).select_related("plan", "goal")
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    buckets = TaskBuckets([], [], [])
    for task in tasks.exclude(plan__state__in=[CoachingPlan.State.COMPLETED, CoachingPlan.State.ARCHIVED]):
        (buckets.overdue if task.due_on < today else buckets.due_soon if task.due_on <= soon else buckets.later).append(
            task
        )
    return buckets


def plan_detail(plans: QuerySet[CoachingPlan]) -> QuerySet[CoachingPlan]:
    """What the plan page shows: goals with their tasks, sessions with their next steps."""
    return with_progress(plans.select_related("coachee", "coach")).prefetch_related(
        "goals__competency", "tasks__assignee", "tasks__completed_by", "tasks__goal", "sessions__next_steps"
    )


@dataclass(frozen=True)
class Shortlist:
    """The first `people` of a list and how many more there are: a leader's page lists a bounded number."""

    people: list[Person]
    more: int


LIST_LIMIT = 20


def managers_without_active_plan(*, user: User, limit: int = LIST_LIMIT) -> Shortlist:
    """Managers below the user (people with someone reporting to them) who hold a role and have no active
    coaching plan, each with `draft_plan_id`: their draft waiting to be activated, if any (so nobody starts
    a second one). The first `limit` by name and the count of the rest: two queries at any org size."""
    active = CoachingPlan.objects.filter(coachee=OuterRef("pk"), state=CoachingPlan.State.ACTIVE)
    draft = CoachingPlan.objects.filter(coachee=OuterRef("pk"), state=CoachingPlan.State.DRAFT).order_by("-pk")
    holds_role = RoleAssignment.objects.current().filter(person=OuterRef("pk"))
    manages = Person.objects.filter(manager=OuterRef("pk"))
    people = (
        policy.heatmap_people_for(user)
        .filter(Exists(holds_role), Exists(manages))
        .exclude(Exists(active))
        .annotate(draft_plan_id=Subquery(draft.values("pk")[:1]))
        .select_related("manager", "team")
        .order_by("last_name", "first_name", "pk")
    )
    first = list(people[:limit])
    return Shortlist(first, people.count() - len(first))  # counted even when short: the same queries at any size


def overdue_tasks_by_coach(*, user: User, limit: int = LIST_LIMIT) -> list[Person]:
    """Coaches of the active plans of people in the user's sub-tree, each with `overdue`: how many of those
    plans' open tasks are past due; most overdue first, the first `limit`. Starts from the overdue tasks of the
    sub-tree (never from every person with every task): two queries, growing with neither the org nor the
    tasks outside the user's scope. Each plan's open overdue tasks come off the (plan, state, due_on) index."""
    counts = list(
        CoachingTask.objects.filter(
            InScope("plan__coachee", policy.heatmap_people_for(user).values("pk")),  # the tree walked once
            plan__state=CoachingPlan.State.ACTIVE,
            state__in=OPEN_TASK_STATES,
            due_on__lt=timezone.localdate(),
        )
        .values("plan__coach")
        .annotate(overdue=Count("pk"))
        .order_by("-overdue", "plan__coach__last_name", "plan__coach")[:limit]
    )
    coaches = Person.objects.in_bulk([row["plan__coach"] for row in counts])
    result = []
    for row in counts:
        coach = coaches[row["plan__coach"]]
        coach.overdue = row["overdue"]
        result.append(coach)
    return result


def pending_self_assessments(person: Person) -> QuerySet[Assessment]:
    return Assessment.objects.filter(
        person=person, source=Assessment.Source.SELF, status=Assessment.Status.REQUESTED
    ).select_related("requested_by")
