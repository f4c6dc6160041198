"""The demo coaching plans: an active plan for most managers with their director as coach (goals from
their gaps, tasks done, in progress, to do, overdue and cancelled, a few 1:1s with next steps), a draft,
and a manager coaching one of their sellers. A plan found again (by coachee and title) is left as it is."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils import timezone

from coaching.models import ActivityKind, CoachingPlan, CoachingTask, Goal
from coaching.services.plans import (
    NextStep,
    goal_add,
    goal_update,
    plan_activate,
    plan_create,
    plan_start_from_gaps,
    session_record,
    task_add,
    task_complete,
    task_set_state,
)
from enablement.models import Person
from managers.demo.requirements import COACHING, DATA, MENTORSHIP
from managers.models import Competency

DONE, IN_PROGRESS, TODO, CANCELLED = (
    CoachingTask.State.DONE,
    CoachingTask.State.IN_PROGRESS,
    CoachingTask.State.TODO,
    CoachingTask.State.CANCELLED,
)
COACH, COACHEE = "coach", "coachee"


@dataclass(frozen=True)
class TaskSpec:
    title: str
    kind: str
    due: int  # days from today; negative is past
    state: str = TODO
    assignee: str = COACHEE
    description: str = ""


@dataclass(frozen=True)
class SessionSpec:
    days_ago: int
    notes: str
    next_steps: tuple[TaskSpec, ...] = ()


@dataclass(frozen=True)
class PlanSpec:
    coachee: str  # username
    coach: str  # username
    title: str
    started: int  # days ago
    # States given, in due-date order, to the tasks the plan took from the library (a plan from the gaps).
    library_states: tuple[str, ...] = ()
    # Goals set by hand (a plan from scratch): (title, competency key or "", target level, due in days).
    goals: tuple[tuple[str, str, int, int], ...] = ()
    tasks: tuple[TaskSpec, ...] = ()
    sessions: tuple[SessionSpec, ...] = ()
    achieved: dict[str, str] = field(default_factory=dict)  # competency key -> progress note
    active: bool = True


PLANS: tuple[PlanSpec, ...] = (
    PlanSpec(
        "manager1",
        "director1",
        "Enterprise business case",
        40,
        (DONE, IN_PROGRESS),
        sessions=(
            SessionSpec(
                19,
                "Reviewed the Halvorsen business case together. Payback is now in the "
                "customer's numbers; the CFO meeting is booked. Agreed Farid joins the next two "
                "CFO conversations himself.",
                (
                    TaskSpec("Join the Halvorsen CFO meeting with the seller", ActivityKind.PRACTICE, 9, IN_PROGRESS),
                    TaskSpec("Send Farid the region's value-case template", ActivityKind.READING, -16, DONE, COACH),
                ),
            ),
        ),
    ),
    PlanSpec(
        "manager2",
        "director1",
        "Partners in early, commit on evidence",
        34,
        (DONE, TODO, DONE, TODO),
        tasks=(TaskSpec("Agree an SE engagement checklist with the SE lead", ActivityKind.ONE_ON_ONE, 4),),
    ),
    PlanSpec(
        "manager3",
        "director1",
        "Forecast recovery and stronger deals",
        52,
        (DONE, TODO, TODO, CANCELLED, IN_PROGRESS, TODO),
        sessions=(
            SessionSpec(
                38,
                "Went through the week-8 call deal by deal. Four commit deals had no next step. "
                "Pedro agreed to run MEDDPICC inspection before every forecast call.",
                (
                    TaskSpec(
                        "Move every commit deal without a confirmed signer to best case",
                        ActivityKind.PRACTICE,
                        -31,
                        DONE,
                    ),
                    TaskSpec("Share the inspection checklist with the team", ActivityKind.PRACTICE, -24, TODO),
                ),
            ),
            SessionSpec(
                12,
                "Forecast call this week landed within 10%. Coaching still slips: two 1:1s "
                "cancelled for deal work. Agreed to protect Tuesday afternoons for call reviews.",
                (
                    TaskSpec(
                        "Block Tuesday afternoons for call reviews for the rest of the quarter",
                        ActivityKind.PRACTICE,
                        -8,
                        TODO,
                    ),
                    TaskSpec(
                        "Listen to two of Pedro's team's calls and compare notes",
                        ActivityKind.ONE_ON_ONE,
                        6,
                        TODO,
                        COACH,
                    ),
                ),
            ),
        ),
    ),
    PlanSpec(
        "manager5",
        "director1",
        "From telling to coaching",
        27,
        (DONE, TODO, IN_PROGRESS, TODO),
        tasks=(
            TaskSpec(
                "Outcome-based selling workshop for public sector",
                ActivityKind.TRAINING,
                12,
                CANCELLED,
                description="Cancelled: enablement moved the workshop to next quarter.",
            ),
        ),
    ),
    PlanSpec("manager6", "director1", "Value cases for healthcare buyers", 20, (IN_PROGRESS, TODO, TODO, TODO)),
    PlanSpec(
        "manager7",
        "director2",
        "Coaching from the numbers",
        45,
        (DONE, DONE),
        achieved={
            DATA: "Stage conversion per seller is now reviewed every Monday; each seller's coaching "
            "focus comes from it."
        },
        tasks=(TaskSpec("Present the per-seller conversion review to the other managers", ActivityKind.PRACTICE, 10),),
    ),
    PlanSpec(
        "manager8",
        "director2",
        "Coaching, ramp and a team that speaks up",
        38,
        (DONE, IN_PROGRESS, TODO, TODO, DONE, TODO),
        sessions=(
            SessionSpec(
                9,
                "Talked through the pulse results: the team hears about changes last. Oscar "
                "will share the territory plan with the team before it is final and ask for "
                "objections.",
                (
                    TaskSpec(
                        "Share the draft territory plan with the team and collect objections", ActivityKind.PRACTICE, 5
                    ),
                ),
            ),
        ),
    ),
    PlanSpec("manager9", "director2", "Forecast rigour and AI in the team", 24, (IN_PROGRESS, TODO, DONE, TODO)),
    PlanSpec(
        "manager10",
        "director2",
        "Back on plan: coaching, data and pipeline",
        48,
        (DONE, DONE, TODO, CANCELLED, TODO, IN_PROGRESS),
        sessions=(
            SessionSpec(
                33,
                "Debriefed the Copperfield loss. Ines restarts the Monday team meeting and the "
                "monthly lost-deal retro.",
                (
                    TaskSpec("Restart the Monday team meeting", ActivityKind.PRACTICE, -26, DONE),
                    TaskSpec("Run the first lost-deal retro since spring", ActivityKind.PRACTICE, -12, TODO),
                ),
            ),
            SessionSpec(
                5,
                "Pipeline review: three deals moved out of commit early, which is progress. The "
                "retro has still not happened; agreed Priya joins the first one.",
                (TaskSpec("Join Ines's lost-deal retro", ActivityKind.ONE_ON_ONE, 7, TODO, COACH),),
            ),
        ),
    ),
    PlanSpec(
        "manager11",
        "director2",
        "Protected coaching time",
        15,
        (TODO, TODO),
        tasks=(TaskSpec("Put a recurring weekly 1:1 with each seller in the calendar", ActivityKind.ONE_ON_ONE, 0),),
    ),
    # A draft: Priya waits for Samuel's self-assessment before activating it.
    PlanSpec("manager12", "director2", "Ramp the new starters", 0, active=False),
    # A manager coaching one of their sellers: Grace Petrov wants to lead a team.
    PlanSpec(
        "seller2",
        "manager1",
        "Team lead readiness",
        30,
        goals=(
            ("Lead the team's weekly call review twice", COACHING, 2, 30),
            ("Mentor the next new hire through their first 60 days", MENTORSHIP, 2, 60),
        ),
        tasks=(
            TaskSpec("Read The Coaching Habit (Michael Bungay Stanier)", ActivityKind.READING, -9, DONE),
            TaskSpec("Co-run the call review with Farid", ActivityKind.SHADOWING, -2, DONE),
            TaskSpec("Run the call review on your own", ActivityKind.PRACTICE, 12, TODO),
            TaskSpec("Write the 30-60-90 plan for the new hire", ActivityKind.PRACTICE, -3, IN_PROGRESS),
        ),
        sessions=(
            SessionSpec(
                8,
                "Grace co-ran her first call review; strong at picking the clip, less at "
                "letting the seller find the gap. Next time she asks before she tells.",
                (
                    TaskSpec(
                        "Ask the hiring team to add Grace to the next onboarding cohort",
                        ActivityKind.MENTORSHIP,
                        14,
                        TODO,
                        COACH,
                    ),
                ),
            ),
        ),
    ),
)


def seed_plan(
    spec: PlanSpec, people: Mapping[str, Person], competencies: Mapping[str, Competency], today: datetime.date
) -> None:
    coachee, coach = people.get(spec.coachee), people.get(spec.coach)
    if coachee is None or coach is None or CoachingPlan.objects.filter(coachee=coachee, title=spec.title).exists():
        return
    if spec.active and CoachingPlan.objects.filter(coachee=coachee, state=CoachingPlan.State.ACTIVE).exists():
        return  # someone started another plan for them in the app
    by = coach.user
    start = today - datetime.timedelta(days=spec.started)
    create = plan_create if spec.goals else plan_start_from_gaps
    plan = create(coachee=coachee, coach=coach, by=by, title=spec.title, period_start=start)
    for title, key, target, due in spec.goals:
        goal_add(
            plan=plan,
            title=title,
            due_on=today + datetime.timedelta(days=due),
            by=by,
            competency=competencies.get(key),
            target_level=target,
        )
    if spec.active:
        plan = plan_activate(plan=plan, by=by)
        CoachingPlan.objects.filter(pk=plan.pk).update(activated_at=_at(start, 9))
    library_tasks = plan.tasks.order_by("due_on", "pk")
    for task, state in zip(library_tasks, spec.library_states, strict=False):
        _set_state(task, state, plan, today)
    goals = list(plan.goals.all())
    for task_spec in spec.tasks:
        _add_task(plan, task_spec, today, goal=goals[0] if goals else None)
    for session in spec.sessions:
        _add_session(plan, session, today)
    for goal in goals:
        if goal.competency and goal.competency.key in spec.achieved:
            goal_update(goal=goal, by=by, state=Goal.State.ACHIEVED, note=spec.achieved[goal.competency.key])


def _person_for(plan: CoachingPlan, who: str) -> Person:
    return plan.coach if who == COACH else plan.coachee


def _add_task(plan: CoachingPlan, spec: TaskSpec, today: datetime.date, *, goal: Goal | None) -> None:
    task = task_add(
        plan=plan,
        title=spec.title,
        kind=spec.kind,
        assignee=_person_for(plan, spec.assignee),
        due_on=today + datetime.timedelta(days=spec.due),
        by=plan.coach.user,
        goal=goal,
        description=spec.description,
    )
    _set_state(task, spec.state, plan, today)


def _add_session(plan: CoachingPlan, spec: SessionSpec, today: datetime.date) -> None:
    steps = [
        NextStep(step.title, today + datetime.timedelta(days=step.due), _person_for(plan, step.assignee), step.kind)
        for step in spec.next_steps
    ]
    session = session_record(
        plan=plan,
        held_on=today - datetime.timedelta(days=spec.days_ago),
        notes=spec.notes,
        by=plan.coach.user,
        next_steps=steps,
    )
    for task, step in zip(session.next_steps.order_by("pk"), spec.next_steps, strict=True):
        _set_state(task, step.state, plan, today)


def _set_state(task: CoachingTask, state: str, plan: CoachingPlan, today: datetime.date) -> None:
    """Moves a new task to `state`. A done task is marked by its assignee, and dated the day before it was
    due (or yesterday): a fresh demo would otherwise show everything done in the last minute."""
    if state == DONE:
        task_complete(task=task, by=task.assignee.user)
        day = min(task.due_on, today) - datetime.timedelta(days=1)
        CoachingTask.objects.filter(pk=task.pk).update(completed_at=_at(max(day, plan.period_start), 16))
    elif state != TODO:
        task_set_state(task=task, state=state, by=plan.coach.user)


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())
