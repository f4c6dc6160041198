"""The `recognition.given` webhook event, registered from `CoachingConfig.ready()`."""

from enablement.webhooks.events import PERSON_REF, EventType, register_event_type

RECOGNITION_GIVEN = EventType(
    "recognition.given",
    "Someone recognised a colleague. The reason text is not sent: it stays in the platform.",
    {
        "id": "the recognition's id",
        "giver": f"{PERSON_REF} who gave it",
        "recipient": f"{PERSON_REF} who received it",
        "tags": "list of behaviour tags (prospecting, brand, customer, collaboration, insight, new_approach)",
        "competency": "the competency's key, or null",
        "visibility": "team or private",
        "counts": "false when flagged (a returned thank-you, or over the giver's share for one person)",
        "given_at": "time",
    },
)


def register() -> None:
    register_event_type(RECOGNITION_GIVEN)
