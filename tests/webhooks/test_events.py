"""Each event type fires from the real service that makes the change, with the documented payload
(the EventType its app registered) and nothing more: no ratings, evidence, rationale or other free text."""

import datetime

import pytest
from django.db import transaction

from coaching.models import ActivityKind, CoachingTask, Goal
from coaching.services import plans as coaching
from enablement.org.services import person_create, person_update
from enablement.webhooks.events import all_event_types, get_event_type
from enablement.webhooks.models import WebhookEvent
from enablement.webhooks.outbox import emit
from managers.models import Acknowledgement, Application
from managers.services import hiring
from managers.services.charters import charter_acknowledge, charter_publish, role_assign
from managers.services.hiring import RatingInput
from tests.enablement.factories import PersonFactory
from tests.managers.factories import CompetencyFactory, RoleFactory, publishable_draft

pytestmark = pytest.mark.django_db

FREE_TEXT = ("Why do we track pipeline coverage?", "Listens well.", "Strong coach.", "Solid.", "Secret notes")


def _only(event_type: str) -> dict:
    [event] = WebhookEvent.objects.filter(event_type=event_type)
    payload = event.payload
    assert set(payload) == set(get_event_type(event_type).fields), "exactly the documented fields"
    assert not any(text in str(payload) for text in FREE_TEXT)
    return payload


def _ref(person) -> dict:
    return {"id": person.pk, "external_id": person.external_id}


def _submit(scorecard, user, competency, rating=3, recommendation="yes"):
    return hiring.scorecard_submit(
        scorecard=scorecard,
        by=user,
        ratings={competency.pk: RatingInput(rating, "Listens well.")},
        recommendation=recommendation,
        summary="Solid.",
    )


def test_every_event_type_documents_its_fields():
    for event_type in all_event_types():
        assert event_type.description and event_type.fields
        assert all(description for description in event_type.fields.values())


def test_charter_published(endpoint, org, leader):
    role = RoleFactory(code="fsm-enterprise", name="FSM Enterprise")
    for holder in (org["owner"], org["peer"]):
        role_assign(person=holder, role=role, on=datetime.date(2026, 1, 1), by=None)
    version = charter_publish(version=publishable_draft(role=role, number=1), by=leader.user)
    assert _only("charter.published") == {
        "id": version.pk,
        "role": {"id": role.pk, "code": "fsm-enterprise", "name": "FSM Enterprise"},
        "version": 1,
        "published_at": version.published_at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "published_by": _ref(leader),
        "acknowledgements_requested": 2,
    }


def test_charter_acknowledged(endpoint, charter, owner):
    acknowledgement = Acknowledgement.objects.get(person=owner, version=charter["version"])
    charter_acknowledge(
        acknowledgement=acknowledgement,
        by=owner.user,
        clarity_focus=4,
        clarity_deprioritize=3,
        clarity_success=5,
        question="Why do we track pipeline coverage?",
    )
    payload = _only("charter.acknowledged")
    assert payload.pop("acknowledged_at").endswith("Z")
    assert payload == {
        "id": acknowledgement.pk,
        "charter_version_id": charter["version"].pk,
        "role": {"id": charter["role"].pk, "code": "fsm-enterprise", "name": "Frontline Sales Manager, Enterprise"},
        "version": 1,
        "person": _ref(owner),
        "clarity": {"focus": 4, "deprioritize": 3, "success": 5},
        "asked_question": True,
    }


def test_scorecard_submitted_carries_no_ratings_or_evidence(endpoint, hiring_setup, owner):
    scorecard = _submit(hiring_setup["scorecard_a"], owner.user, hiring_setup["competencies"]["coaching"])
    payload = _only("scorecard.submitted")
    assert payload.pop("submitted_at").endswith("Z")
    assert payload == {
        "id": scorecard.pk,
        "interview_id": scorecard.interview_id,
        "application_id": hiring_setup["application"].pk,
        "requisition_id": hiring_setup["requisition"].pk,
        "interviewer": _ref(owner),
        "recommendation": "yes",
    }


def test_application_decided_hire(endpoint, hiring_setup, owner, peer, recruiter):
    coaching_competency = hiring_setup["competencies"]["coaching"]
    _submit(hiring_setup["scorecard_a"], owner.user, coaching_competency)
    _submit(hiring_setup["scorecard_b"], peer.user, coaching_competency, rating=2)
    application = hiring.application_decide(
        application=hiring_setup["application"],
        decision="hire",
        rationale="Strong coach.",
        by=recruiter,
        external_id="HR-NEW-1",
    )
    person = application.candidate.person
    payload = _only("application.decided")
    assert payload.pop("decided_at").endswith("Z")
    assert payload == {
        "id": application.pk,
        "decision": "hire",
        "decided_by": None,  # the recruiter has no place in the sales org
        "candidate": {"id": application.candidate_id, "external_id": ""},
        "requisition": {"id": hiring_setup["requisition"].pk, "external_id": ""},
        "role": {
            "id": hiring_setup["role"].pk,
            "code": "fsm-enterprise",
            "name": "Frontline Sales Manager, Enterprise",
        },
        "person": {"id": person.pk, "external_id": "HR-NEW-1"},
    }


def test_application_decided_reject_by_a_hiring_manager(endpoint, hiring_setup, leader):
    hiring.application_decide(
        application=hiring_setup["application"], decision="reject", rationale="Strong coach.", by=leader.user
    )
    payload = _only("application.decided")
    assert (payload["decision"], payload["decided_by"], payload["person"]) == ("reject", _ref(leader), None)
    assert Application.objects.get().decision_rationale == "Strong coach."


@pytest.fixture
def plan(org, leader, owner):
    competency = CompetencyFactory(key="coaching")
    plan = coaching.plan_create(coachee=owner, coach=leader, by=leader.user)
    goal = coaching.goal_add(
        plan=plan,
        title="Coach weekly",
        due_on=datetime.date(2027, 3, 1),
        by=leader.user,
        competency=competency,
        target_level=3,
    )
    coaching.task_add(
        plan=plan,
        title="Run 3 role plays",
        kind=ActivityKind.PRACTICE,
        assignee=owner,
        goal=goal,
        due_on=datetime.date(2027, 2, 1),
        by=leader.user,
        description="Secret notes",
    )
    coaching.task_add(
        plan=plan,
        title="Read a book",
        kind=ActivityKind.READING,
        assignee=owner,
        due_on=datetime.date(2027, 2, 15),
        by=leader.user,
    )
    coaching.plan_activate(plan=plan, by=leader.user)
    return plan


def test_coaching_task_completed(endpoint, plan, owner):
    task = plan.tasks.get(title="Run 3 role plays")
    task = coaching.task_complete(task=task, by=owner.user)
    coaching.task_complete(task=task, by=owner.user)  # idempotent: no second event
    payload = _only("coaching_task.completed")
    assert payload.pop("completed_at").endswith("Z")
    assert payload == {
        "id": task.pk,
        "plan_id": plan.pk,
        "goal_id": task.goal_id,
        "competency": "coaching",
        "kind": "practice",
        "title": "Run 3 role plays",
        "assignee": _ref(owner),
        "due_on": "2027-02-01",
        "completed_by": _ref(owner),
    }


def test_coaching_plan_completed(endpoint, plan, owner, leader):
    coaching.task_complete(task=plan.tasks.get(title="Run 3 role plays"), by=owner.user)
    coaching.goal_update(goal=plan.goals.get(), state=Goal.State.ACHIEVED, by=leader.user)
    plan = coaching.plan_complete(plan=plan, by=leader.user)
    assert plan.tasks.filter(state=CoachingTask.State.CANCELLED).count() == 1
    payload = _only("coaching_plan.completed")
    assert payload.pop("completed_at").endswith("Z")
    assert payload == {
        "id": plan.pk,
        "coachee": _ref(owner),
        "coach": _ref(leader),
        "period_start": plan.period_start.isoformat(),
        "period_end": plan.period_end.isoformat(),
        "goals": {"total": 1, "open": 0, "achieved": 1, "dropped": 0},
        "tasks": {"total": 2, "done": 1, "cancelled": 1},
    }


def test_a_change_that_rolls_back_emits_nothing(endpoint, plan, owner):
    task = plan.tasks.get(title="Run 3 role plays")
    with pytest.raises(RuntimeError), transaction.atomic():
        coaching.task_complete(task=task, by=owner.user)
        raise RuntimeError("something after the change fails")
    assert not WebhookEvent.objects.filter(event_type="coaching_task.completed").exists()


def test_emit_accepts_the_person_dicts_the_people_service_will_pass(endpoint, org):
    """The people services (another module) call emit with the person as the API shows it."""

    person = person_create(
        external_id="HR-9",
        first_name="Ada",
        last_name="L",
        email="ada@example.com",
        title="AE",
        team=org["team"],
        manager=org["owner"],
    )
    payload = {
        "id": person.pk,
        "external_id": "HR-9",
        "first_name": "Ada",
        "last_name": "L",
        "email": "ada@example.com",
        "title": "AE",
        "team": org["team"].external_id,
        "manager": org["owner"].external_id,
        "employment_status": "active",
        "start_date": None,
        "end_date": None,
        "updated_at": person.updated_at,
    }
    emit("person.created", [payload])
    emit("person.updated", [{**payload, "changed_fields": ["title"]}])
    emit("person.terminated", [{**payload, "employment_status": "terminated"}])
    assert WebhookEvent.objects.filter(event_type__startswith="person.").count() >= 3


def test_person_payload_times_are_utc(endpoint, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    person = PersonFactory()
    person_update(person=person, data={"title": "Lead"})

    payload = WebhookEvent.objects.get(event_type="person.updated").payload
    assert payload["updated_at"].endswith("Z") or payload["updated_at"].endswith("+00:00")
    assert datetime.datetime.fromisoformat(
        payload["updated_at"].replace("Z", "+00:00")
    ).utcoffset() == datetime.timedelta(0)
