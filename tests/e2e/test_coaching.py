import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from coaching.models import ActivityKind, Assessment, CoachingSession, CoachingTask, DevelopmentActivity
from coaching.services.assessments import LevelInput, assessment_record
from coaching.services.plans import plan_activate, plan_start_from_gaps
from managers.services.charters import role_assign
from tests.e2e.test_hiring import _screenshot
from tests.e2e.test_sign_in import _sign_in
from tests.managers.factories import CompetencyFactory, RoleCompetencyFactory, RoleFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NOTES = "Asked before telling in both role plays; next, try it on a live call."
NEXT_STEP = "Coach a live call by asking first"


@pytest.fixture
def active_plan(org):
    """`owner`'s active plan, coached by `leader`, from a leader assessment with three gaps: three goals
    (coaching, resilience, storytelling) and two library tasks for coaching, one due within a week."""
    role = RoleFactory(code="fsm-enterprise", name="Frontline Sales Manager, Enterprise")
    competencies = {key: CompetencyFactory(key=key) for key in ("coaching", "storytelling", "resilience")}
    for key, weight in (("coaching", 3), ("storytelling", 1), ("resilience", 2)):
        RoleCompetencyFactory(role=role, competency=competencies[key], required_level=3, weight=weight)
    role_assign(person=org["owner"], role=role, on=datetime.date(2026, 1, 1), by=None)
    assessment_record(
        person=org["owner"],
        source=Assessment.Source.LEADER,
        by=org["leader"].user,
        ratings={
            competencies["coaching"]: LevelInput(Decimal(1), "Tells, does not ask."),
            competencies["storytelling"]: LevelInput(Decimal(2)),
            competencies["resilience"]: LevelInput(Decimal(2)),
        },
    )
    DevelopmentActivity.objects.create(
        competency=competencies["coaching"], kind=ActivityKind.PRACTICE, title="Run 3 role plays", duration_days=5
    )
    DevelopmentActivity.objects.create(
        competency=competencies["coaching"], kind=ActivityKind.READING, title="Read The Coaching Habit"
    )
    plan = plan_start_from_gaps(coachee=org["owner"], coach=org["leader"], by=org["leader"].user)
    return plan_activate(plan=plan, by=org["leader"].user)


def test_manager_completes_a_task_records_a_1_1_and_sees_progress_change(page, org, active_plan):
    owner = org["owner"]
    # Given a plan of 3 goals and 2 tasks, nothing achieved or done yet.
    _sign_in(page, "owner")
    page.locator("#main-nav").get_by_role("link", name="My development").click()

    # My development shows the plan at 0% and its two tasks, one due this week and one later.
    expect(page.get_by_role("heading", name="My development", exact=True)).to_be_visible()
    my_plan = page.get_by_test_id("my-plan")
    expect(my_plan.get_by_role("progressbar", name="Progress")).to_have_text("0%")
    expect(my_plan).to_contain_text("0 of 3 goals achieved, 0 of 2 tasks done")
    expect(my_plan).to_contain_text("Reach level 3 in Coaching Coaching, level 1 → 3")
    expect(page.get_by_test_id("tasks-due-soon")).to_contain_text("Run 3 role plays")
    expect(page.get_by_test_id("tasks-later")).to_contain_text("Read The Coaching Habit")
    _screenshot(page, "coaching-my-development")

    # When the manager opens the plan and completes a task there.
    my_plan.get_by_role("link", name=active_plan.title).click()
    expect(page.get_by_role("heading", name=active_plan.title)).to_be_visible()
    progress = page.get_by_role("progressbar", name="Progress")
    expect(progress).to_have_text("0%")
    role_plays = page.get_by_role("listitem").filter(has_text="Run 3 role plays")
    role_plays.get_by_role("button", name="Done").click()

    # Then the task is done and progress is (0 goals + 1 task) / (3 goals + 2 tasks) = 20%.
    expect(page.get_by_text("“Run 3 role plays” is done.")).to_be_visible()
    expect(role_plays.locator('[data-state="done"]')).to_have_text("Done")
    expect(role_plays.get_by_role("button", name="Done")).to_have_count(0)
    expect(progress).to_have_text("20%")
    expect(progress).to_have_attribute("aria-valuenow", "20")

    # When they record a 1:1 with notes and one next step for themselves.
    due_on = timezone.localdate() + datetime.timedelta(days=10)
    form = page.get_by_test_id("session-form")
    expect(form.get_by_label("Held on")).to_have_value(timezone.localdate().isoformat())
    form.get_by_label("Notes").fill(NOTES)
    form.get_by_label("Next step 1").fill(NEXT_STEP)
    form.locator('[name="step_1_due_on"]').fill(due_on.isoformat())
    form.locator('[name="step_1_assignee"]').select_option(label=f"{owner.full_name} (coachee)")
    form.get_by_role("button", name="Record 1:1").click()

    # Then the 1:1 shows its notes and the next step, the step is a task of the plan, and progress is
    # (0 goals + 1 task) / (3 goals + 3 tasks) = 17%.
    expect(page.get_by_text("1:1 recorded.")).to_be_visible()
    session = CoachingSession.objects.get(plan=active_plan)
    session_card = page.get_by_test_id(f"session-{session.pk}")
    expect(session_card).to_contain_text(NOTES)
    expect(session_card.get_by_role("listitem")).to_contain_text(f"{NEXT_STEP} — {owner.full_name}")
    expect(page.get_by_test_id("loose-tasks")).to_contain_text(NEXT_STEP)
    expect(progress).to_have_text("17%")
    expect(page.get_by_text("0 of 3 goals achieved, 1 of 3 tasks done")).to_be_visible()
    _screenshot(page, "coaching-plan-after-1-1")

    # My development lists the 1:1 and the new open task.
    page.get_by_role("navigation", name="breadcrumb").get_by_role("link", name="My development").click()
    expect(page.get_by_test_id(f"my-session-{session.pk}")).to_contain_text(NEXT_STEP)
    expect(page.get_by_test_id("tasks-later")).to_contain_text(NEXT_STEP)
    expect(page.get_by_test_id("my-plan").get_by_role("progressbar", name="Progress")).to_have_text("17%")
    assert page.outside_requests == []

    done = CoachingTask.objects.get(plan=active_plan, title="Run 3 role plays")
    assert (done.state, done.completed_by) == (CoachingTask.State.DONE, owner.user)
    assert done.completed_at is not None
    assert session.recorded_by == owner.user
    assert session.notes == NOTES
    step = CoachingTask.objects.get(plan=active_plan, title=NEXT_STEP)
    assert (step.session, step.assignee, step.due_on, step.state) == (session, owner, due_on, CoachingTask.State.TODO)
