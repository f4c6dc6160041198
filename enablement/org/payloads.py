"""A person as the platform shows them to other systems: the `person.*` webhook events
(`enablement.org.events`) and the people API (`GET /api/v1/people/{id}/`, whose serializer answers with
this). Plain Python, so the write services that emit events depend on no API layer.

The shape is the documented contract (`enablement.webhooks.events`, the OpenAPI schema): JSON values only,
dates as `YYYY-MM-DD`, times as ISO 8601 in the current time zone (`Z` for UTC, which is what events use).
"""

import datetime
from typing import Any

from django.utils import timezone

from enablement.models import Person
from enablement.org.extensions import person_extensions


def _time(value: datetime.datetime | None) -> str | None:
    if value is None:
        return None
    text = timezone.localtime(value).isoformat()
    return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _key(obj) -> str | None:
    """A related team or person by the HR system's key; None when there is none (or it has no key)."""
    return (obj.external_id or None) if obj is not None else None


def person_payload(person: Person) -> dict[str, Any]:
    """The person as other systems see them. Reads `team` and `manager` (select them with the person) and
    each extension's `ext_<name>` annotation (`enablement.org.extensions.with_extensions`)."""
    payload = {
        "id": person.pk,
        "external_id": person.external_id,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "title": person.title,
        "team": _key(person.team),
        "team_id": person.team_id,
        "manager": _key(person.manager),
        "manager_id": person.manager_id,
        "employment_status": person.employment_status,
        "start_date": _date(person.start_date),
        "end_date": _date(person.end_date),
        "has_login": person.user_id is not None,
        "created_at": _time(person.created_at),
        "updated_at": _time(person.updated_at),
    }
    for extension in person_extensions():
        payload[extension.name] = getattr(person, f"ext_{extension.name}")
    return payload
