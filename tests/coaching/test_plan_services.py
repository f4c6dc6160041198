"""Plan services against the database: from gaps, states, tasks, sessions, progress, hire to plan."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coaching.models import ActivityKind, Assessment, CoachingPlan, CoachingTask, DevelopmentActivity, Goal
from coaching.selectors.plans import progress_percent, with_progress
from coaching.services import plans as services
from coaching.services.assessments import LevelInput, assessment_record
from managers.services.charters import role_assign
from tests.managers.factories import CompetencyFactory, RoleCompetencyFactory, RoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def gaps(org, leader):
    role = RoleFactory(code="fsm")
    competencies = {key: CompetencyFactory(key=key) for key in ("coaching", "storytelling", "resilience", "acumen")}
    for key, level, weight in (("coaching", 3, 3), ("storytelling", 3, 1), ("resilience", 3, 2), ("acumen", 3, 5)):
        RoleCompetencyFactory(role=role, competency=competencies[key], required_level=level, weight=weight)
    role_assign(person=org["owner"], role=role, on=datetime.date(2026, 1, 1), by=None)
    assessment_record(
        person=org["owner"], source=Assessment.Source.LEADER, by=leader.user,
        ratings={competencies["coaching"]: LevelInput(Decimal(1), "Tells, does not ask."),
                 competencies["storytelling"]: LevelInput(Decimal(2)),
                 competencies["resilience"]: LevelInput(Decimal(2)), competencies["acumen"]: LevelInput(Decimal(3))},
    )  # fmt: skip
    for kind, title in ((ActivityKind.SHADOWING, "Shadow a top coach"), (ActivityKind.PRACTICE, "Run 3 role plays"),
                        (ActivityKind.READING, "Read The Coaching Habit")):  # fmt: skip
        DevelopmentActivity.objects.create(competency=competencies["coaching"], kind=kind, title=title)
    return competencies


def test_plan_from_gaps_sets_a_goal_per_top_gap_with_library_tasks(gaps, owner, leader):
    plan = services.plan_start_from_gaps(
        coachee=owner, coach=leader, by=leader.user, period_start=datetime.date(2027, 1, 1)
    )
    goals = list(plan.goals.all())
    # weighted gaps: coaching 2x3=6, resilience 1x2=2, storytelling 1x1=1; acumen has none
    assert [(goal.competency.key, goal.target_level, goal.baseline_level) for goal in goals] == [
        ("coaching", 3, Decimal("1.00")),
        ("resilience", 3, Decimal("2.00")),
        ("storytelling", 3, Decimal("2.00")),
    ]
    assert [goal.due_on for goal in goals] == [
        datetime.date(2027, 1, 31),
        datetime.date(2027, 3, 2),
        datetime.date(2027, 4, 1),
    ]
    tasks = list(plan.tasks.order_by("pk"))
    # the first two of the library for coaching, in its order (by kind, then title)
    assert [task.title for task in tasks] == ["Run 3 role plays", "Read The Coaching Habit"]
    assert all(task.goal == goals[0] and task.assignee == owner for task in tasks)
    assert plan.state == CoachingPlan.State.DRAFT


def test_only_one_active_plan_per_person(gaps, owner, leader):
    first = services.plan_create(coachee=owner, coach=leader, by=leader.user)
    second = services.plan_create(coachee=owner, coach=leader, by=leader.user)
    services.plan_activate(plan=first, by=leader.user)
    with pytest.raises(ValidationError):
        services.plan_activate(plan=second, by=leader.user)


def test_task_complete_records_who_and_when_and_is_idempotent(gaps, owner, leader):
    plan = services.plan_start_from_gaps(coachee=owner, coach=leader, by=leader.user)
    task = plan.tasks.first()
    done = services.task_complete(task=task, by=owner.user)
    again = services.task_complete(task=task, by=leader.user)
    assert (again.state, again.completed_by, again.completed_at) == (
        CoachingTask.State.DONE,
        owner.user,
        done.completed_at,
    )


def test_session_next_steps_become_tasks_all_or_nothing(gaps, owner, leader):
    plan = services.plan_create(coachee=owner, coach=leader, by=leader.user)
    today = timezone.localdate()
    steps = [services.NextStep("Record a call review", today + datetime.timedelta(days=7), owner)]
    session = services.session_record(
        plan=plan, held_on=today, notes="Talked pipeline.", by=leader.user, next_steps=steps
    )
    assert [task.title for task in session.next_steps.all()] == ["Record a call review"]
    bad = [services.NextStep("", today, owner)]  # a next step needs a title
    with pytest.raises(ValidationError):
        services.session_record(plan=plan, held_on=today, notes="Again.", by=leader.user, next_steps=bad)
    assert plan.sessions.count() == 1


def test_progress_counts_achieved_goals_and_done_tasks(gaps, owner, leader):
    plan = services.plan_start_from_gaps(coachee=owner, coach=leader, by=leader.user)  # 3 goals, 2 tasks
    assert progress_percent(with_progress(CoachingPlan.objects.filter(pk=plan.pk)).get()) == 0
    services.task_complete(task=plan.tasks.first(), by=owner.user)
    services.goal_update(goal=plan.goals.get(competency=gaps["storytelling"]), by=leader.user, state=Goal.State.DROPPED)
    services.goal_update(goal=plan.goals.get(competency=gaps["coaching"]), by=owner.user, state=Goal.State.ACHIEVED)
    # (1 achieved goal + 1 done task) / (2 goals in play + 2 tasks) = 50%
    assert progress_percent(with_progress(CoachingPlan.objects.filter(pk=plan.pk)).get()) == 50


def test_completed_plan_no_longer_changes(gaps, owner, leader):
    plan = services.plan_start_from_gaps(coachee=owner, coach=leader, by=leader.user)
    services.plan_activate(plan=plan, by=leader.user)
    services.plan_complete(plan=plan, by=leader.user)
    assert not plan.tasks.filter(state=CoachingTask.State.TODO).exists()
    with pytest.raises(ValidationError):
        services.goal_add(plan=CoachingPlan.objects.get(pk=plan.pk), title="More", due_on=timezone.localdate(), by=None)


def test_a_hire_gets_a_draft_plan_from_the_gaps_their_interviews_found(hiring, owner, peer, leader, recruiter):
    from managers.services.hiring import RatingInput, application_decide, scorecard_submit

    coaching, resilience = hiring["competencies"]["coaching"], hiring["competencies"]["resilience"]
    for scorecard, user, ratings in (
        (hiring["scorecard_a"], owner.user, {coaching.pk: RatingInput(2, "Told, did not ask.")}),
        (
            hiring["scorecard_b"],
            peer.user,
            {coaching.pk: RatingInput(2, "Same."), resilience.pk: RatingInput(3, "Calm.")},
        ),
    ):
        scorecard_submit(scorecard=scorecard, by=user, ratings=ratings, recommendation="yes", summary="s")
    application_decide(
        application=hiring["application"], decision="hire", rationale="r", by=recruiter, external_id="HR-77"
    )
    plan = CoachingPlan.objects.get(coachee__external_id="HR-77")
    assert (plan.coach, plan.state, plan.period_start) == (leader, CoachingPlan.State.DRAFT, datetime.date(2027, 1, 4))
    # coaching 2 of 3 (weight 3) is the one gap; resilience meets its level; storytelling was not assessed
    assert [(goal.competency, goal.baseline_level) for goal in plan.goals.all()] == [(coaching, Decimal("2.00"))]


def test_a_leavers_coaching_goes_to_their_manager(org, leader):
    from enablement.org.services import person_terminate

    owner, seller = org["owner"], org["seller"]
    coached = services.plan_create(coachee=seller, coach=owner, by=owner.user)
    services.plan_activate(plan=coached, by=owner.user)
    prep = services.task_add(plan=coached, title="Prepare the review", kind=ActivityKind.ONE_ON_ONE, assignee=owner,
                             due_on=timezone.localdate(), by=owner.user)  # fmt: skip
    own = services.plan_create(coachee=owner, coach=leader, by=leader.user)

    person_terminate(person=owner)

    coached.refresh_from_db()
    prep.refresh_from_db()
    assert (coached.coach, coached.state, prep.assignee) == (leader, CoachingPlan.State.ACTIVE, leader)
    assert CoachingPlan.objects.get(pk=own.pk).state == CoachingPlan.State.ARCHIVED
