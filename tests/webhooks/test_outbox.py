"""The outbox: events are written in the transaction of the change, to the endpoints that want them,
in a constant number of queries, and dispatched once the transaction commits."""

import json
import math

import pytest
from django.db import connection, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from enablement.models import Person
from enablement.org.services import person_update
from enablement.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from enablement.webhooks.outbox import OutsideTransaction, emit
from enablement.webhooks.services import endpoint_create, endpoint_set_active
from enablement.webhooks.tasks import dispatch_webhook_events_task
from tests.enablement.factories import PersonFactory

pytestmark = pytest.mark.django_db

PERSON = {
    "id": 7,
    "external_id": "HR-7",
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "ada@example.com",
    "title": "Account Executive",
    "team": "T-1",
    "manager": "HR-1",
    "employment_status": "active",
    "start_date": timezone.localdate(),
    "end_date": None,
    "updated_at": timezone.now(),
}


def person(number: int) -> dict:
    return {**PERSON, "id": number, "external_id": f"HR-{number}", "email": f"p{number}@example.com"}


def test_emit_writes_an_event_per_payload_and_a_delivery_per_endpoint(endpoint, hr_admin):
    other = endpoint_create(url="https://hooks.example.com/in", by=hr_admin)
    emit("person.created", [person(1), person(2)])
    events = list(WebhookEvent.objects.order_by("id"))
    assert [event.payload["external_id"] for event in events] == ["HR-1", "HR-2"]
    assert all(event.id.startswith("msg_") and len(event.id) == 30 for event in events)
    assert all(event.event_type == "person.created" for event in events)
    assert set(WebhookDelivery.objects.values_list("event_id", "endpoint_id")) == {
        (event.id, target.pk) for event in events for target in (endpoint, other)
    }
    assert set(WebhookDelivery.objects.values_list("state", flat=True)) == {WebhookDelivery.State.PENDING}


def test_emit_stores_the_payload_as_json_gives_it_back(endpoint):
    emit("person.created", [person(1)])
    payload = WebhookEvent.objects.get().payload
    assert payload["start_date"] == PERSON["start_date"].isoformat()
    assert payload["updated_at"].endswith("Z")
    assert json.loads(json.dumps(payload)) == payload


def test_emit_in_a_rolled_back_transaction_leaves_nothing_and_sends_nothing(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    # Given a change that emits an event and then fails
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        emit("person.created", [person(1)])
        raise RuntimeError("the change fails after emitting")
    # Then neither the event nor its delivery exists, and no dispatch was queued
    assert not WebhookEvent.objects.exists()
    assert not WebhookDelivery.objects.exists()
    assert callbacks == []
    assert receiver.requests == []


def test_emit_dispatches_on_commit_and_the_endpoint_receives_the_envelope(
    endpoint, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        emit("person.created", [person(1)])
    [request] = receiver.requests
    event = WebhookEvent.objects.get()
    envelope = json.loads(request.body)
    assert envelope == {"type": "person.created", "timestamp": envelope["timestamp"], "data": event.payload}
    assert envelope["timestamp"] == event.created_at.isoformat().replace("+00:00", "Z")
    assert request.headers["webhook-id"] == event.id
    assert request.headers["content-type"] == "application/json"
    assert WebhookDelivery.objects.get().state == WebhookDelivery.State.DELIVERED


def test_emit_respects_each_endpoints_event_filter_and_skips_inactive_ones(hr_admin):
    people = endpoint_create(url="https://a.example.com/", event_types=["person.created"], by=hr_admin)
    hiring = endpoint_create(url="https://b.example.com/", event_types=["application.decided"], by=hr_admin)
    everything = endpoint_create(url="https://c.example.com/", by=hr_admin)
    retired = endpoint_create(url="https://d.example.com/", by=hr_admin)
    endpoint_set_active(endpoint=retired, active=False, by=hr_admin)
    emit("person.created", [person(1)])
    assert set(WebhookDelivery.objects.values_list("endpoint_id", flat=True)) == {people.pk, everything.pk}
    assert hiring.pk not in WebhookDelivery.objects.values_list("endpoint_id", flat=True)


def test_emit_without_receivers_stores_nothing_and_does_not_read_the_payloads(django_assert_num_queries):
    def payloads():
        raise AssertionError("payloads were built although nobody listens")
        yield  # pragma: no cover

    with django_assert_num_queries(1):  # the active endpoints
        emit("person.created", payloads())
    assert not WebhookEvent.objects.exists()


def test_emit_of_a_thousand_payloads_runs_a_constant_number_of_queries(hr_admin, django_assert_max_num_queries):
    endpoint_create(url="https://a.example.com/", by=hr_admin)
    endpoint_create(url="https://b.example.com/", by=hr_admin)
    # SQLite caps parameters per statement (999), so Django splits each insert into batches there; on
    # PostgreSQL each table is one INSERT. Either way the count does not grow with anything but that cap.
    if connection.vendor == "sqlite":
        event_batches = math.ceil(1000 / connection.ops.bulk_batch_size(WebhookEvent._meta.concrete_fields, []))
        delivery_batches = math.ceil(2000 / connection.ops.bulk_batch_size(WebhookDelivery._meta.concrete_fields, []))
        most = 1 + event_batches + delivery_batches
    else:
        most = 3
    with django_assert_max_num_queries(most):
        emit("person.updated", [{**person(number), "changed_fields": ["title"]} for number in range(1000)])
    assert WebhookEvent.objects.count() == 1000
    assert WebhookDelivery.objects.count() == 2000


def test_emit_refuses_unknown_types_and_payloads_missing_documented_fields(endpoint):
    with pytest.raises(ValueError, match="Unknown webhook event type"):
        emit("person.exploded", [person(1)])
    with pytest.raises(ValueError, match="changed_fields"):
        emit("person.updated", [person(1)])
    assert not WebhookEvent.objects.exists()


def test_emit_allows_fields_beyond_the_documented_ones(endpoint):
    emit("person.created", [{**person(1), "role": "fsm-enterprise", "has_login": True}])
    assert WebhookEvent.objects.get().payload["role"] == "fsm-enterprise"


@pytest.mark.django_db(transaction=True)
def test_emit_outside_a_transaction_is_refused(hr_admin):
    WebhookEndpoint.objects.create(url="https://a.example.com/")
    with pytest.raises(OutsideTransaction):
        emit("person.created", [person(1)])
    assert not WebhookEvent.objects.exists()


def test_a_broker_that_is_down_does_not_turn_a_committed_change_into_an_error(
    endpoint, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise OperationalError("Connection refused")

    monkeypatch.setattr(dispatch_webhook_events_task, "delay", broker_down)
    person = PersonFactory(title="AE")

    with django_capture_on_commit_callbacks(execute=True):
        person_update(person=person, data={"title": "Senior AE"})  # without robust on_commit: the error escaped

    assert Person.objects.get(pk=person.pk).title == "Senior AE"
    assert WebhookEvent.objects.filter(event_type="person.updated").count() == 1
    assert WebhookDelivery.objects.get().state == WebhookDelivery.State.PENDING  # the sweep sends it
