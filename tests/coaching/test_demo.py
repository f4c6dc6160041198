"""The coaching demo step (`coaching.demo.seed`), run on the demo org as `seed_demo` runs it: the org, the
charter step (the managers hold roles), the hiring step (what each role requires), then this step."""

from collections import Counter
from decimal import Decimal

import pytest
from django.db.models import F
from django.utils import timezone

from coaching.activity_library import ACTIVITY_LIBRARY, activities_seed
from coaching.demo.seed import seed_coaching_demo
from coaching.models import (
    OPEN_TASK_STATES,
    Assessment,
    AssessmentRating,
    CoachingPlan,
    CoachingSession,
    CoachingTask,
    DevelopmentActivity,
    Goal,
)
from coaching.selectors.gaps import gaps_for
from coaching.selectors.plans import managers_without_active_plan
from coaching.services.assessments import LevelInput, assessment_submit
from coaching.services.plans import plan_complete, task_complete
from enablement.models import Person
from enablement.org.demo import seed_demo_org
from managers.demo.charters import seed_charters_demo
from managers.demo.hiring import seed_hiring_demo
from managers.models import Competency, RoleCompetency

pytestmark = pytest.mark.django_db

TIMESTAMPED = (DevelopmentActivity, Assessment, AssessmentRating, CoachingPlan, Goal, CoachingTask, CoachingSession)


@pytest.fixture(scope="module")
def demo_lines(module_db):
    seed_demo_org()
    seed_charters_demo()
    seed_hiring_demo()
    return seed_coaching_demo()


def _person(username: str) -> Person:
    return Person.objects.select_related("user", "manager__user").get(user__username=username)


def _managers():
    return Person.objects.filter(user__username__startswith="manager").select_related("user", "manager__user")


def _snapshot() -> dict:
    return {model.__name__: sorted(model.objects.values_list("pk", "updated_at")) for model in TIMESTAMPED} | {
        "completed": sorted(CoachingTask.objects.values_list("pk", "completed_at", "completed_by")),
        "activated": sorted(CoachingPlan.objects.values_list("pk", "activated_at")),
        "requirements": RoleCompetency.objects.count(),
        "people": Person.objects.count(),
    }


def test_the_library_has_two_to_four_real_activities_per_competency(demo_lines):
    assert DevelopmentActivity.objects.count() == len(ACTIVITY_LIBRARY) >= 24
    per_competency = Counter(DevelopmentActivity.objects.values_list("competency__key", flat=True))
    assert set(per_competency) == set(Competency.objects.values_list("key", flat=True))
    assert all(2 <= count <= 4 for count in per_competency.values())
    assert all(activity.description.strip() for activity in DevelopmentActivity.objects.all())
    assert DevelopmentActivity.objects.filter(title__contains="The Coaching Habit (Michael Bungay Stanier)").exists()
    assert activities_seed() == 0


def test_the_managers_are_assessed_from_several_sources_with_evidence(demo_lines):
    submitted = Assessment.objects.filter(status=Assessment.Status.SUBMITTED, person__in=_managers())
    assert set(submitted.values_list("source", flat=True)) >= {"leader", "self", "peer"}
    assert submitted.filter(source="leader").count() >= 9
    leader_ratings = AssessmentRating.objects.filter(assessment__source="leader")
    assert not leader_ratings.filter(evidence="").exists()
    # every leader assessment is by the person's own director, and dated in the past
    for assessment in submitted.filter(source="leader").select_related("person__manager", "assessor"):
        assert assessment.assessor == assessment.person.manager.user
        assert assessment.assessed_on < timezone.localdate()
    # two self-assessments asked for and not filled in yet
    requested = Assessment.objects.filter(status=Assessment.Status.REQUESTED)
    assert requested.count() == 2
    assert all(request.requested_by == request.person.manager.user for request in requested)


def test_gaps_range_from_none_to_large(demo_lines):
    largest = {
        person.user.username: max((gap.gap or 0 for gap in gaps_for(person)), default=0) for person in _managers()
    }
    assert largest["manager4"] == 0  # meets or exceeds the role everywhere
    assert largest["manager3"] >= 2
    assert sum(1 for gap in largest.values() if gap > 0) >= 10


def test_most_managers_have_an_active_plan_with_their_director_as_coach_and_goals_from_their_gaps(demo_lines):
    plans = CoachingPlan.objects.filter(coachee__in=_managers(), state=CoachingPlan.State.ACTIVE)
    assert plans.count() >= 9
    for plan in plans.select_related("coachee", "coach"):
        assert plan.coach == plan.coachee.manager
        assert plan.activated_at is not None and plan.period_start < timezone.localdate()
        top = [gap.competency for gap in gaps_for(plan.coachee) if gap.gap][:3]
        assert [goal.competency for goal in plan.goals.all()] == top
        assert plan.tasks.filter(activity__isnull=False).exists()


def test_the_leaders_see_managers_without_an_active_plan(demo_lines):
    director1, director2 = _person("director1"), _person("director2")
    for director, expected in ((director1, ["manager4"]), (director2, ["manager12"])):
        shortlist = managers_without_active_plan(user=director.user)
        assert [person.user.username for person in shortlist.people] == expected
    assert CoachingPlan.objects.get(coachee__user__username="manager12").state == CoachingPlan.State.DRAFT
    assert not CoachingPlan.objects.filter(coachee__user__username="manager4").exists()


def test_tasks_are_in_every_state(demo_lines):
    today = timezone.localdate()
    tasks = CoachingTask.objects.filter(plan__state=CoachingPlan.State.ACTIVE)
    assert set(tasks.values_list("state", flat=True)) == set(CoachingTask.State.values)
    done = tasks.filter(state=CoachingTask.State.DONE).select_related("completed_by", "assignee__user")
    assert all(task.completed_by == task.assignee.user and task.completed_at for task in done)
    assert all(timezone.localtime(task.completed_at).date() < today for task in done)
    open_tasks = tasks.filter(state__in=OPEN_TASK_STATES)
    assert open_tasks.filter(due_on__lt=today).count() >= 5  # overdue
    assert open_tasks.filter(due_on__gte=today, state=CoachingTask.State.TODO).exists()
    assert open_tasks.filter(due_on=today).exists()  # so every kind of reminder has something to say
    assert open_tasks.filter(state=CoachingTask.State.IN_PROGRESS).exists()
    # coaches have tasks of their own, so an overdue task is not always the coachee's
    assert tasks.exclude(assignee=F("plan__coachee")).filter(assignee__user__username__startswith="director").exists()
    assert Goal.objects.filter(state=Goal.State.ACHIEVED).exists()


def test_sessions_were_held_and_their_next_steps_became_tasks(demo_lines):
    sessions = CoachingSession.objects.all()
    assert sessions.count() >= 5
    assert all(session.held_on < timezone.localdate() and session.notes for session in sessions)
    assert CoachingTask.objects.filter(session__isnull=False).count() >= 8
    assert CoachingPlan.objects.filter(sessions__isnull=False).distinct().count() >= 4


def test_a_manager_coaches_one_of_their_sellers(demo_lines):
    plan = CoachingPlan.objects.select_related("coachee", "coach__user").get(coach__user__username="manager1")
    assert plan.state == CoachingPlan.State.ACTIVE
    assert plan.coachee.manager == plan.coach
    assert not plan.coachee.user.username.startswith("manager")
    assert plan.goals.count() == 2 and plan.sessions.exists()


def test_the_summary_names_who_to_sign_in_as(demo_lines):
    text = "\n".join(demo_lines)
    assert "sign in as director1 or director2" in text
    assert "without an active plan: Umar Zhang" in text
    assert "without an active plan: Samuel Park" in text
    assert "Farid Santos (manager1) coaches Grace Petrov, one of their sellers" in text


def test_a_second_run_changes_nothing(demo_lines):
    before = _snapshot()
    assert seed_coaching_demo() == demo_lines
    assert _snapshot() == before


def test_what_people_did_in_the_app_is_left_as_it_is(demo_lines):
    # Given manager3 completed an overdue task, the director completed manager7's plan, and manager12
    # submitted the self-assessment they were asked for
    task = CoachingTask.objects.filter(plan__coachee__user__username="manager3", state="todo").first()
    task_complete(task=task, by=task.assignee.user)
    plan_complete(plan=CoachingPlan.objects.get(coachee__user__username="manager7"), by=None)
    manager12 = _person("manager12")
    request = Assessment.objects.get(person=manager12, status=Assessment.Status.REQUESTED)
    talent = Competency.objects.get(key="talent-development")
    assessment_submit(assessment=request, by=manager12.user, ratings={talent: LevelInput(Decimal(2), "Behind.")})
    before = _snapshot()
    # When the demo runs again
    seed_coaching_demo()
    # Then nothing is reopened, recreated or asked again
    assert _snapshot() == before
    assert not Assessment.objects.filter(person=manager12, status=Assessment.Status.REQUESTED).exists()


def test_demo_sellers_hold_a_role_so_a_plan_from_the_gaps_has_goals(demo_lines):
    from coaching.demo.sellers import SELLER_ASSESSMENTS
    from coaching.selectors.gaps import top_gaps

    sellers = Person.objects.current().filter(direct_reports__isnull=True, user__username__startswith="seller")
    assert sellers.exists() and not sellers.filter(role_assignments__isnull=True).exists()
    position, manager, *_ = SELLER_ASSESSMENTS[0]
    seller = _person(manager).direct_reports.current().order_by("pk")[position]
    assert top_gaps(seller)  # "Start a plan from the gaps" proposes goals for them
    assert any("hold the Account Executive or SDR role" in line for line in demo_lines)
