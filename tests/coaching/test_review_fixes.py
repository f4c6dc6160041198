"""Rules a review found missing: what a coachee may do to their own plan, what a leader may record, dates
that make sense, rescheduling, and levels shown as stored."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from coaching.models import ActivityKind, Assessment, AssessmentRating, CoachingPlan, CoachingSession, Goal
from coaching.selectors.gaps import gaps_for
from coaching.services import plans as services
from coaching.services.assessments import LevelInput, assessment_record
from managers.services.charters import role_assign
from tests.managers.factories import CompetencyFactory, RoleCompetencyFactory, RoleFactory

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def plan(org):
    plan = services.plan_create(coachee=org["seller"], coach=org["owner"], by=None)
    services.plan_activate(plan=plan, by=None)
    return plan


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def test_a_coachee_records_next_steps_for_themselves_only_and_after_the_1_1(plan, org):
    today, seller = timezone.localdate(), org["seller"]
    for_coach = [services.NextStep("Book the ride-along", today + DAY, org["owner"])]
    with pytest.raises(ValidationError):
        services.session_record(plan=plan, held_on=today, notes="n", by=seller.user, next_steps=for_coach)
    backdated = [services.NextStep("Already late", today - DAY, seller)]
    with pytest.raises(ValidationError):
        services.session_record(plan=plan, held_on=today, notes="n", by=org["owner"].user, next_steps=backdated)
    assert not CoachingSession.objects.exists()

    response = _api(seller.user).post(
        reverse("session-list"),
        {"plan": plan.pk, "held_on": today.isoformat(), "notes": "n",
         "next_steps": [{"title": "x", "due_on": (today + DAY).isoformat(), "assignee": org["owner"].pk}]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400 and not CoachingSession.objects.exists()


def test_a_coachee_marks_a_goal_achieved_but_cannot_drop_it(client, plan, org):
    goal = services.goal_add(plan=plan, title="Run discovery calls", due_on=timezone.localdate() + 30 * DAY, by=None)
    client.force_login(org["seller"].user)
    url = reverse("coaching:goal-update", args=[goal.pk])
    assert client.post(url, {"state": "dropped", "note": ""}).status_code == 403
    assert (
        _api(org["seller"].user)
        .patch(reverse("goal-detail", args=[goal.pk]), {"state": "dropped"}, format="json")
        .status_code
        == 403
    )
    assert Goal.objects.get(pk=goal.pk).state == Goal.State.OPEN
    assert client.post(url, {"state": "achieved", "note": "Done."}).status_code == 302
    assert Goal.objects.get(pk=goal.pk).state == Goal.State.ACHIEVED
    assert (
        _api(org["owner"].user)
        .patch(reverse("goal-detail", args=[goal.pk]), {"state": "dropped"}, format="json")
        .status_code
        == 200
    )


def test_a_leader_records_only_their_own_view_and_not_in_the_future(org, leader):
    competency = CompetencyFactory(key="coaching")
    body = {"person": org["owner"].pk, "source": "self", "ratings": [{"competency": "coaching", "level": "2"}]}
    assert _api(leader.user).post(reverse("assessment-list"), body, format="json").status_code == 400
    future = {**body, "source": "leader", "assessed_on": (timezone.localdate() + DAY).isoformat()}
    assert _api(leader.user).post(reverse("assessment-list"), future, format="json").status_code == 400
    assert not Assessment.objects.exists()
    assert (
        _api(leader.user).post(reverse("assessment-list"), {**body, "source": "leader"}, format="json").status_code
        == 201
    )
    assert AssessmentRating.objects.get().competency == competency


def test_a_terminated_person_is_no_longer_assessed(org, leader):
    from enablement.org.services import person_terminate

    CompetencyFactory(key="coaching")
    person_terminate(person=org["seller"])
    body = {"person": org["seller"].pk, "source": "leader", "ratings": [{"competency": "coaching", "level": "2"}]}
    assert _api(leader.user).post(reverse("assessment-list"), body, format="json").status_code == 403
    assert not Assessment.objects.exists()


def test_the_coach_reschedules_a_task_and_the_coachee_cannot(client, plan, org):
    task = services.task_add(plan=plan, title="Shadow a top seller", kind=ActivityKind.SHADOWING,
                             assignee=org["seller"], due_on=timezone.localdate(), by=None)  # fmt: skip
    new_date = timezone.localdate() + 14 * DAY
    client.force_login(org["seller"].user)
    assert client.post(reverse("coaching:task-reschedule", args=[task.pk]), {"due_on": new_date}).status_code == 403
    client.force_login(org["owner"].user)
    assert client.post(reverse("coaching:task-reschedule", args=[task.pk]), {"due_on": new_date}).status_code == 302
    task.refresh_from_db()
    assert task.due_on == new_date
    response = _api(org["owner"].user).patch(
        reverse("task-detail", args=[task.pk]), {"assignee": org["owner"].pk}, format="json"
    )
    assert response.status_code == 200 and response.json()["assignee"]["id"] == org["owner"].pk
    assert (
        _api(org["seller"].user)
        .patch(reverse("task-detail", args=[task.pk]), {"title": "x"}, format="json")
        .status_code
        == 403
    )


def test_assessed_levels_are_shown_as_stored_on_every_database(org, leader):
    role = RoleFactory(code="fsm")
    competency = CompetencyFactory(key="coaching")
    RoleCompetencyFactory(role=role, competency=competency, required_level=3, weight=1)
    role_assign(person=org["owner"], role=role, on=datetime.date(2026, 1, 1), by=None)
    assessment_record(person=org["owner"], source=Assessment.Source.LEADER, by=leader.user,
                      ratings={competency: LevelInput(Decimal("2.33"))})  # fmt: skip
    (gap,) = gaps_for(org["owner"])
    assert (str(gap.assessed_level), str(gap.gap)) == ("2.33", "0.67")


def test_a_hires_plan_starts_when_they_take_up_the_role_never_in_the_past(hiring, owner, recruiter):
    from managers.services.hiring import RatingInput, application_decide, scorecard_submit

    coaching = hiring["competencies"]["coaching"]
    scorecard_submit(scorecard=hiring["scorecard_a"], by=owner.user, ratings={coaching.pk: RatingInput(2, "e")},
                     recommendation="yes", summary="s")  # fmt: skip
    start = timezone.localdate() + 40 * DAY
    application_decide(application=hiring["application"], decision="hire", rationale="r", by=recruiter,
                       external_id="HR-5", start_date=start)  # fmt: skip
    assert CoachingPlan.objects.get(coachee__external_id="HR-5").period_start == start


def test_a_plan_is_never_coached_by_someone_who_reports_to_the_coachee(org, leader):
    body = {"coachee": org["owner"].pk, "coach": org["seller"].pk}
    response = _api(leader.user).post(reverse("plan-list"), body, format="json")
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
