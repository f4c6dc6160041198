"""Found in review of the webhooks: each was an event sent over and over, a change answered as an error,
a delivery stuck forever, or the worker calling inside the network."""

import datetime
import socket

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from kombu.exceptions import OperationalError

from enablement.models import Person
from enablement.org.services import person_update
from enablement.webhooks import delivery as sending
from enablement.webhooks.models import DeliveryAttempt, WebhookDelivery, WebhookEvent
from enablement.webhooks.outbox import emit
from enablement.webhooks.services import endpoint_create
from enablement.webhooks.tasks import dispatch_webhook_events_task
from tests.enablement.factories import PersonFactory
from tests.webhooks.receiver import Receiver

pytestmark = pytest.mark.django_db

State = WebhookDelivery.State


def _pending(endpoint) -> WebhookDelivery:
    with transaction.atomic():
        emit("webhook.test", [{"endpoint_id": endpoint.pk, "message": "hello"}], endpoints=[endpoint])
    return WebhookDelivery.objects.get(endpoint=endpoint)


def test_a_binary_answer_is_logged_and_the_delivery_is_done(hr_admin):
    with Receiver(response_body=b"ok\x00\x01binary") as receiver:
        endpoint = endpoint_create(url=receiver.url, by=hr_admin)
        delivery = _pending(endpoint)
        assert sending.delivery_send(delivery_id=delivery.pk, token="t") == "delivered"

    attempt = DeliveryAttempt.objects.get()
    assert "\x00" not in attempt.response_body and attempt.response_body.startswith("ok")
    assert len(receiver.requests) == 1


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
    assert WebhookDelivery.objects.get().state == State.PENDING  # the sweep sends it


def test_a_pending_delivery_with_no_attempts_left_fails_instead_of_waiting_forever(endpoint, settings):
    delivery = _pending(endpoint)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(attempt_count=5)
    settings.WEBHOOK_RETRY_SCHEDULE = [5, 300]

    assert delivery.pk not in sending.deliveries_due()
    delivery.refresh_from_db()
    assert delivery.state == State.FAILED


@pytest.mark.parametrize(
    "url",
    [
        "https://localhost/hooks",
        "https://127.0.0.2/hooks",
        "https://10.0.0.5/",
        "https://169.254.169.254/",
        "https://[::1]:8443/",
    ],
)
def test_endpoints_inside_the_network_are_refused_in_production(hr_admin, settings, url):
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = False

    with pytest.raises(ValidationError) as refused:
        endpoint_create(url=url, by=hr_admin)
    assert "private network" in str(refused.value)


def test_a_name_that_resolves_inside_the_network_is_not_called(hr_admin, settings, monkeypatch):
    endpoint = endpoint_create(url="https://hooks.example.com/in", by=hr_admin)
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = False
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, port, **kwargs: [(2, 1, 6, "", ("10.1.2.3", port))])
    delivery = _pending(endpoint)

    assert sending.delivery_send(delivery_id=delivery.pk, token="t") == "retrying"
    assert DeliveryAttempt.objects.get().error == (
        "Refused: hooks.example.com resolves to a private or local address (10.1.2.3)."
    )


def test_person_payload_times_are_utc(endpoint, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    person = PersonFactory()
    person_update(person=person, data={"title": "Lead"})

    payload = WebhookEvent.objects.get(event_type="person.updated").payload
    assert payload["updated_at"].endswith("Z") or payload["updated_at"].endswith("+00:00")
    assert datetime.datetime.fromisoformat(
        payload["updated_at"].replace("Z", "+00:00")
    ).utcoffset() == datetime.timedelta(0)
