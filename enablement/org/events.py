"""The webhook events about people (`person.created`, `person.updated`, `person.terminated`), written to the
outbox in the transaction of the change. The payload is the person as the people API shows them
(`enablement.org.payloads.person_payload`); it is built only when some endpoint receives the event (the
outbox does not read the payloads otherwise).

`PERSON_EVENT_TYPES` is their contract (registered by `EnablementConfig.ready()`): the fields it names are
guaranteed; the API's others (`team_id`, `manager_id`, `has_login`, `created_at`, and fields other apps add,
such as `role`) come along."""

import datetime
from collections.abc import Iterable, Iterator, Sequence

from django.utils import timezone

from enablement.models import Person
from enablement.org.extensions import with_extensions
from enablement.org.payloads import person_payload
from enablement.webhooks.events import EventType
from enablement.webhooks.outbox import emit

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

PERSON_EVENT_TYPES = (
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
)


def _as_shown(people: Sequence[Person]) -> dict[int, dict]:
    fresh = with_extensions(Person.objects.select_related("team", "manager")).filter(pk__in=[p.pk for p in people])
    with timezone.override(datetime.UTC):  # payload times are UTC, whatever TIME_ZONE says
        return {person.pk: person_payload(person) for person in fresh}


# Model fields that show under another name in the payload.
PAYLOAD_NAMES = {"user": "has_login"}


def _payloads(people: Sequence[Person], changed: dict[int, list[str]] | None = None) -> Iterator[dict]:
    shown = _as_shown(people)
    for person in people:
        payload = dict(shown[person.pk])
        if changed is not None:
            payload["changed_fields"] = [PAYLOAD_NAMES.get(name, name) for name in changed[person.pk]]
        yield payload


def person_events_emit(
    *,
    created: Iterable[Person] = (),
    updated: Iterable[tuple[Person, list[str]]] = (),
    terminated: Iterable[Person] = (),
) -> None:
    """One event per person: a person who became terminated gets `person.terminated` (whatever else
    changed with it), others whose record changed `person.updated` with the names of the changed fields."""
    created, terminated = list(created), list(terminated)
    gone = {person.pk for person in terminated}
    updated = [(person, fields) for person, fields in updated if person.pk not in gone]
    if created:
        emit("person.created", _payloads(created))
    if updated:
        emit(
            "person.updated",
            _payloads([person for person, _fields in updated], {person.pk: fields for person, fields in updated}),
        )
    if terminated:
        emit("person.terminated", _payloads(terminated))
