"""Plan services against the database: from gaps, states, tasks, sessions, progress, hire to plan."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from coaching.models import (
    ActivityKind,
    Assessment,
    CoachingPlan,
    CoachingSession,
    CoachingTask,
    DevelopmentActivity,
    Goal,
)
from coaching.selectors.plans import progress_percent, with_progress
from coaching.services import plans as services
from coaching.services.assessments import LevelInput, assessment_record
from managers.services.charters import role_assign
from tests.helpers import api_client
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
        person=org["owner"],
        source=Assessment.Source.LEADER,
        by=leader.user,
        ratings={
            competencies["coaching"]: LevelInput(Decimal(1), "Tells, does not ask."),
            competencies["storytelling"]: LevelInput(Decimal(2)),
            competencies["resilience"]: LevelInput(Decimal(2)),
            competencies["acumen"]: LevelInput(Decimal(3)),
        },
    )
    for kind, title in (
        (ActivityKind.SHADOWING, "Shadow a top coach"),
        (ActivityKind.PRACTICE, "Run 3 role plays"),
        (ActivityKind.READING, "Read The Coaching Habit"),
    ):
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
    prep = services.task_add(
        plan=coached,
        title="Prepare the review",
        kind=ActivityKind.ONE_ON_ONE,
        assignee=owner,
        due_on=timezone.localdate(),
        by=owner.user,
    )
    own = services.plan_create(coachee=owner, coach=leader, by=leader.user)

    person_terminate(person=owner)

    coached.refresh_from_db()
    prep.refresh_from_db()
    assert (coached.coach, coached.state, prep.assignee) == (leader, CoachingPlan.State.ACTIVE, leader)
    assert CoachingPlan.objects.get(pk=own.pk).state == CoachingPlan.State.ARCHIVED


DAY = datetime.timedelta(days=1)


@pytest.fixture
def plan(org):
    plan = services.plan_create(coachee=org["seller"], coach=org["owner"], by=None)
    services.plan_activate(plan=plan, by=None)
    return plan


def test_a_coachee_records_next_steps_for_themselves_only_and_after_the_1_1(plan, org):
    today, seller = timezone.localdate(), org["seller"]
    for_coach = [services.NextStep("Book the ride-along", today + DAY, org["owner"])]
    with pytest.raises(ValidationError):
        services.session_record(plan=plan, held_on=today, notes="n", by=seller.user, next_steps=for_coach)
    backdated = [services.NextStep("Already late", today - DAY, seller)]
    with pytest.raises(ValidationError):
        services.session_record(plan=plan, held_on=today, notes="n", by=org["owner"].user, next_steps=backdated)
    assert not CoachingSession.objects.exists()

    response = api_client(seller.user).post(
        reverse("session-list"),
        {
            "plan": plan.pk,
            "held_on": today.isoformat(),
            "notes": "n",
            "next_steps": [{"title": "x", "due_on": (today + DAY).isoformat(), "assignee": org["owner"].pk}],
        },
        format="json",
    )
    assert response.status_code == 400 and not CoachingSession.objects.exists()


def test_a_coachee_marks_a_goal_achieved_but_cannot_drop_it(client, plan, org):
    goal = services.goal_add(plan=plan, title="Run discovery calls", due_on=timezone.localdate() + 30 * DAY, by=None)
    client.force_login(org["seller"].user)
    url = reverse("coaching:goal-update", args=[goal.pk])
    assert client.post(url, {"state": "dropped", "note": ""}).status_code == 403
    assert (
        api_client(org["seller"].user)
        .patch(reverse("goal-detail", args=[goal.pk]), {"state": "dropped"}, format="json")
        .status_code
        == 403
    )
    assert Goal.objects.get(pk=goal.pk).state == Goal.State.OPEN
    assert client.post(url, {"state": "achieved", "note": "Done."}).status_code == 302
    assert Goal.objects.get(pk=goal.pk).state == Goal.State.ACHIEVED
    assert (
        api_client(org["owner"].user)
        .patch(reverse("goal-detail", args=[goal.pk]), {"state": "dropped"}, format="json")
        .status_code
        == 200
    )


def test_the_coach_reschedules_a_task_and_the_coachee_cannot(client, plan, org):
    task = services.task_add(
        plan=plan,
        title="Shadow a top seller",
        kind=ActivityKind.SHADOWING,
        assignee=org["seller"],
        due_on=timezone.localdate(),
        by=None,
    )
    new_date = timezone.localdate() + 14 * DAY
    client.force_login(org["seller"].user)
    assert client.post(reverse("coaching:task-reschedule", args=[task.pk]), {"due_on": new_date}).status_code == 403
    client.force_login(org["owner"].user)
    assert client.post(reverse("coaching:task-reschedule", args=[task.pk]), {"due_on": new_date}).status_code == 302
    task.refresh_from_db()
    assert task.due_on == new_date
    response = api_client(org["owner"].user).patch(
        reverse("task-detail", args=[task.pk]), {"assignee": org["owner"].pk}, format="json"
    )
    assert response.status_code == 200 and response.json()["assignee"]["id"] == org["owner"].pk
    assert (
        api_client(org["seller"].user)
        .patch(reverse("task-detail", args=[task.pk]), {"title": "x"}, format="json")
        .status_code
        == 403
    )


def test_a_hires_plan_starts_when_they_take_up_the_role_never_in_the_past(hiring, owner, recruiter):
    from managers.services.hiring import RatingInput, application_decide, scorecard_submit

    coaching = hiring["competencies"]["coaching"]
    scorecard_submit(
        scorecard=hiring["scorecard_a"],
        by=owner.user,
        ratings={coaching.pk: RatingInput(2, "e")},
        recommendation="yes",
        summary="s",
    )
    start = timezone.localdate() + 40 * DAY
    application_decide(
        application=hiring["application"],
        decision="hire",
        rationale="r",
        by=recruiter,
        external_id="HR-5",
        start_date=start,
    )
    assert CoachingPlan.objects.get(coachee__external_id="HR-5").period_start == start


def test_a_plan_is_never_coached_by_someone_who_reports_to_the_coachee(org, leader):
    body = {"coachee": org["owner"].pk, "coach": org["seller"].pk}
    response = api_client(leader.user).post(reverse("plan-list"), body, format="json")
    assert response.status_code == 400 and "coach" in response.json()["errors"]
    assert not CoachingPlan.objects.exists()


def test_load_activities_adds_the_library_once(db):
    from django.core.management import call_command

    from coaching.models import DevelopmentActivity

    call_command("load_competencies")
    call_command("load_activities")
    count = DevelopmentActivity.objects.count()
    call_command("load_activities")
    assert count >= 24 and DevelopmentActivity.objects.count() == count
