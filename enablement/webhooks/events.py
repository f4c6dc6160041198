"""The registry of event types a webhook endpoint can receive, and the payload each one carries: the
contract with the systems that receive them. Each app registers the events it announces from its
`AppConfig.ready()`, defined next to the code that emits them (people: `enablement.org.events`; the other
apps: their `webhook_events` module), so `enablement` knows no other app's events:

    register_event_type(EventType(
        "<noun>.<past participle>",
        "When it is sent, in a sentence.",
        {"id": "the object's id", "owner": f"{PERSON_REF} whose it is", ...},  # field -> what it holds
    ))

A payload's fields are stable; new fields may be added (receivers must ignore fields they do not know),
none is renamed or removed without a new event type.

Every request body is the envelope `{"type": <event type>, "timestamp": <ISO-8601 UTC time of the
event>, "data": <payload>}`. A person reference is `{"id": <platform id>, "external_id": <HR system's
key>}`; a date is `YYYY-MM-DD`, a time ISO-8601 in UTC. No payload carries free text that records a
judgement of someone (scorecard evidence and summaries, decision rationales, questions, notes): pull
those through the API, where the caller's scopes and the independence rules apply.

`outbox.emit` refuses an event type nobody registered and a payload that lacks a documented field, so
the documentation cannot drift from what is sent; endpoints subscribe to registered types only.
"""

from dataclasses import dataclass

PERSON_REF = '{"id", "external_id"} of a person'


@dataclass(frozen=True)
class EventType:
    name: str
    description: str
    fields: dict[str, str]
    subscribable: bool = True


TEST_EVENT = EventType(
    "webhook.test",
    "Sent by an HR admin from the endpoint page to check the receiver; only to that endpoint.",
    {"endpoint_id": "the endpoint's id", "message": "a fixed text"},
    subscribable=False,
)

_registry: dict[str, EventType] = {}


def register_event_type(event_type: EventType) -> None:
    """Adds an event type, from the `AppConfig.ready()` of the app that emits it; registering the same
    contract again does nothing (`ready()` may run more than once). Raises ValueError when the name is
    registered with another contract: a name means one payload."""
    registered = _registry.setdefault(event_type.name, event_type)
    if registered != event_type:
        raise ValueError(f"Webhook event type {event_type.name!r} is already registered with another contract.")


def get_event_type(name: str) -> EventType:
    return _registry[name]


def is_known(name: str) -> bool:
    return name in _registry


def all_event_types() -> list[EventType]:
    """Every registered event type, in the order the apps registered them."""
    return list(_registry.values())


def subscribable_event_types() -> list[EventType]:
    """What an endpoint may filter on, in a stable order (that of registration)."""
    return [event_type for event_type in _registry.values() if event_type.subscribable]
