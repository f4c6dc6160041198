"""The event types a webhook endpoint can receive, and the payload each one carries: the contract with
the systems that receive them. A payload's fields are stable; new fields may be added (receivers must
ignore fields they do not know), none is renamed or removed without a new event type.

Every request body is the envelope `{"type": <event type>, "timestamp": <ISO-8601 UTC time of the
event>, "data": <payload>}`. A person reference is `{"id": <platform id>, "external_id": <HR system's
key>}`; a date is `YYYY-MM-DD`, a time ISO-8601 in UTC. No payload carries free text that records a
judgement of someone (scorecard evidence and summaries, decision rationales, questions, notes): pull
those through the API, where the caller's scopes and the independence rules apply.

`outbox.emit` refuses an unknown event type and a payload that lacks a documented field, so the
documentation below cannot drift from what is sent. Person events carry the person as the people API
(`GET /api/v1/people/{id}/`) shows it: the fields below are guaranteed; the API's others (`team_id`,
`manager_id`, `has_login`, `created_at`, and fields other apps add, such as `role`) come along.
"""

from dataclasses import dataclass

PERSON_REF = '{"id", "external_id"} of a person'


@dataclass(frozen=True)
class EventType:
    name: str
    description: str
    fields: dict[str, str]
    subscribable: bool = True


_PERSON_FIELDS = {
    "id": "the person's platform id (integer)",
    "external_id": "the HR system's key",
    "first_name": "string",
    "last_name": "string",
    "email": "work email",
    "title": "job title",
    "team": "the team's external id, or null",
    "manager": "the manager's external id, or null",
    "employment_status": "active, on_leave or terminated",
    "start_date": "date, or null",
    "end_date": "date, or null",
    "updated_at": "when the record last changed",
}

_ROLE_REF = '{"id", "code", "name"} of the role'

EVENT_TYPES: tuple[EventType, ...] = (
    EventType(
        "person.created",
        "A person was added to the org (by the API, a bulk sync, the admin or a hire).",
        _PERSON_FIELDS,
    ),
    EventType(
        "person.updated",
        "A person's record changed. `changed_fields` names the fields that changed.",
        {**_PERSON_FIELDS, "changed_fields": "list of the field names above that changed"},
    ),
    EventType(
        "person.terminated",
        "A person left: employment_status is terminated and end_date is set.",
        _PERSON_FIELDS,
    ),
    EventType(
        "charter.published",
        "A role charter version was published; every holder of the role is asked to acknowledge it.",
        {
            "id": "the charter version's id",
            "role": _ROLE_REF,
            "version": "the version number (integer)",
            "published_at": "time",
            "published_by": f"{PERSON_REF} who published it, or null for an account with no place in the org",
            "acknowledgements_requested": "how many holders were asked to acknowledge (integer)",
        },
    ),
    EventType(
        "charter.acknowledged",
        "A holder acknowledged the published charter of their role, rating its clarity 1-5.",
        {
            "id": "the acknowledgement's id",
            "charter_version_id": "the acknowledged version's id",
            "role": _ROLE_REF,
            "version": "the version number (integer)",
            "person": f"{PERSON_REF} who acknowledged",
            "acknowledged_at": "time",
            "clarity": '{"focus", "deprioritize", "success"}: the three clarity ratings, 1-5',
            "asked_question": "whether they asked their leader a question (the text stays in the platform)",
        },
    ),
    EventType(
        "scorecard.submitted",
        "An interviewer submitted their scorecard. No ratings, evidence or summary: those stay behind "
        "the platform's independence rules.",
        {
            "id": "the scorecard's id",
            "interview_id": "the interview's id",
            "application_id": "the application's id",
            "requisition_id": "the requisition's id",
            "interviewer": f"{PERSON_REF} who interviewed",
            "recommendation": "strong_no, no, yes or strong_yes",
            "submitted_at": "time",
        },
    ),
    EventType(
        "application.decided",
        "A hire or reject decision was recorded. The rationale is not sent: read it from "
        "GET /api/v1/decisions/ with the hiring:read scope.",
        {
            "id": "the application's id",
            "decision": "hire or reject",
            "decided_at": "time",
            "decided_by": f"{PERSON_REF} who decided, or null for an account with no place in the org",
            "candidate": '{"id", "external_id"} of the candidate (external_id: the ATS key, or "")',
            "requisition": '{"id", "external_id"} of the requisition (external_id: the ATS key, or "")',
            "role": _ROLE_REF,
            "person": f"{PERSON_REF} the hire became, or null for a rejection",
        },
    ),
    EventType(
        "coaching_task.completed",
        "A coaching task was marked done.",
        {
            "id": "the task's id",
            "plan_id": "the coaching plan's id",
            "goal_id": "the goal it serves, or null",
            "competency": "the key of the goal's competency, or null",
            "kind": "training, practice, shadowing, mentorship, reading or one_on_one",
            "title": "the task's title (its description is not sent)",
            "assignee": f"{PERSON_REF} whose task it is",
            "due_on": "date",
            "completed_at": "time",
            "completed_by": f"{PERSON_REF} who marked it done, or null",
        },
    ),
    EventType(
        "coaching_plan.completed",
        "A coaching plan was completed (its open tasks are cancelled).",
        {
            "id": "the plan's id",
            "coachee": PERSON_REF,
            "coach": PERSON_REF,
            "period_start": "date",
            "period_end": "date",
            "completed_at": "time",
            "goals": '{"total", "achieved", "dropped", "open"}: counts',
            "tasks": '{"total", "done", "cancelled"}: counts',
        },
    ),
    EventType(
        "webhook.test",
        "Sent by an HR admin from the endpoint page to check the receiver; only to that endpoint.",
        {"endpoint_id": "the endpoint's id", "message": "a fixed text"},
        subscribable=False,
    ),
)

_registry: dict[str, EventType] = {event_type.name: event_type for event_type in EVENT_TYPES}


def register_event_type(event_type: EventType) -> None:
    """For an app that announces events of its own, from its `AppConfig.ready()`."""
    _registry.setdefault(event_type.name, event_type)


def get_event_type(name: str) -> EventType:
    return _registry[name]


def is_known(name: str) -> bool:
    return name in _registry


def subscribable_event_types() -> list[EventType]:
    """What an endpoint may filter on, in a stable order."""
    return [event_type for event_type in _registry.values() if event_type.subscribable]
