"""The outbox: events are written in the transaction of the change that caused them, so a change that
commits always announces itself and one that rolls back announces nothing."""

import json
from collections.abc import Iterable

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from enablement.webhooks.events import get_event_type, is_known
from enablement.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent


class OutsideTransaction(RuntimeError):
    """`emit` was called in autocommit mode: the event would not share the fate of the change."""


def _plain(payload: dict) -> dict:
    """The payload as JSON will give it back (dates as ISO strings, decimals as strings, UUIDs as text)."""
    return json.loads(json.dumps(payload, cls=DjangoJSONEncoder))


def _check_fields(event_type: str, payload: dict) -> None:
    missing = sorted(get_event_type(event_type).fields.keys() - payload.keys())
    if missing:
        raise ValueError(f"A {event_type} payload lacks documented fields: {', '.join(missing)}.")


def emit(event_type: str, payloads: Iterable[dict], *, endpoints: Iterable[WebhookEndpoint] | None = None) -> None:
    """Writes one event per payload and one pending delivery per active endpoint that receives
    `event_type`, and queues their dispatch for when the transaction commits.

    Must run inside the transaction of the change (raises OutsideTransaction otherwise). Raises
    ValueError for an event type nobody registered or a payload missing a documented field
    (`enablement.webhooks.events`). A constant number of queries however many payloads (three on
    PostgreSQL; SQLite splits each insert into statements of ~100-200 rows); events nobody receives are
    not stored, and `payloads` is not read: without endpoints this costs one query, and a generator of
    payloads runs no query of its own. `endpoints` names the receivers instead, whatever
    their filters (the test event goes to one endpoint only).
    """
    if not connection.in_atomic_block:
        raise OutsideTransaction("Call emit() inside the transaction of the change it announces.")
    if not is_known(event_type):
        raise ValueError(
            f"Unknown webhook event type {event_type!r}: register it from its app's AppConfig.ready() "
            "(enablement.webhooks.events.register_event_type)."
        )
    if endpoints is None:
        active = WebhookEndpoint.objects.filter(is_active=True).only("pk", "event_types")
        receivers = [endpoint for endpoint in active if endpoint.receives(event_type)]
    else:
        receivers = list(endpoints)
    if not receivers:
        return  # `payloads` is not even read: a generator that builds them costs nothing
    payloads = list(payloads)
    for payload in payloads:
        _check_fields(event_type, payload)
    if not payloads:
        return
    now = timezone.now()
    events = WebhookEvent.objects.bulk_create(
        [WebhookEvent(event_type=event_type, payload=_plain(payload)) for payload in payloads]
    )
    WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(event=event, endpoint=endpoint, next_attempt_at=now, window_started_at=now)
            for event in events
            for endpoint in receivers
        ]
    )
    event_ids = [event.pk for event in events]
    # robust: the change has committed; a broker that is down must not turn it into an error (the sweep
    # sends what was not queued).
    transaction.on_commit(lambda: _dispatch(event_ids), robust=True)


def _dispatch(event_ids: list[str]) -> None:
    from enablement.webhooks.tasks import dispatch_webhook_events_task

    dispatch_webhook_events_task.delay(event_ids)
