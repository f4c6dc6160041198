"""The `recognition.given` webhook event: one of `coaching.webhook_events.EVENT_TYPES`, which
`CoachingConfig.ready()` registers."""

from enablement.webhooks.events import PERSON_REF, EventType

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
