"""Sending: Standard Webhooks signatures (also during a secret rotation), retries with backoff until the
delivery fails, one sender per delivery, every attempt logged, redelivery."""

import datetime
import socket
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from enablement.webhooks import delivery as sending
from enablement.webhooks.models import DeliveryAttempt, WebhookDelivery, WebhookEndpoint
from enablement.webhooks.outbox import emit
from enablement.webhooks.services import (
    delivery_redeliver,
    endpoint_create,
    endpoint_rotate_secret,
    endpoint_set_active,
)
from enablement.webhooks.tasks import deliver_webhook_task, sweep_webhook_deliveries_task
from tests.webhooks.receiver import Receiver, free_port

pytestmark = pytest.mark.django_db

State = WebhookDelivery.State


def _pending(endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A test event for `endpoint`, written but not yet sent."""
    with transaction.atomic():
        emit("webhook.test", [{"endpoint_id": endpoint.pk, "message": "hello"}], endpoints=[endpoint])
    return WebhookDelivery.objects.get(endpoint=endpoint)


def _send(delivery: WebhookDelivery, *, claim: str = "worker-1", now: datetime.datetime | None = None) -> str:
    return sending.delivery_send(delivery_id=delivery.pk, token=claim, now=now)


def test_signature_verifies_with_the_endpoints_secret(endpoint, receiver):
    delivery = _pending(endpoint)
    assert _send(delivery) == "delivered"
    [request] = receiver.requests
    envelope = Webhook(endpoint.secret).verify(request.body, request.headers)
    assert envelope["type"] == "webhook.test"
    assert envelope["data"] == {"endpoint_id": endpoint.pk, "message": "hello"}
    assert request.headers["webhook-id"] == delivery.event_id
    assert abs(int(request.headers["webhook-timestamp"]) - timezone.now().timestamp()) < 5
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint.secret).verify(request.body.replace(b"hello", b"hellO"), request.headers)


def test_secret_format_follows_standard_webhooks(endpoint):
    assert endpoint.secret.startswith("whsec_")
    assert len(Webhook(endpoint.secret)._whsecret) == 32


def test_during_a_rotation_both_secrets_sign_and_after_the_grace_period_only_the_new_one(endpoint, receiver, hr_admin):
    old_secret = endpoint.secret
    endpoint = endpoint_rotate_secret(endpoint=endpoint, by=hr_admin)
    assert endpoint.secret != old_secret
    assert endpoint.previous_secret == old_secret
    assert endpoint.previous_secret_expires_at > timezone.now() + datetime.timedelta(hours=23)

    # Within the grace period a receiver with either secret accepts the request
    _send(_pending(endpoint))
    request = receiver.requests[-1]
    assert len(request.headers["webhook-signature"].split(" ")) == 2
    Webhook(old_secret).verify(request.body, request.headers)
    Webhook(endpoint.secret).verify(request.body, request.headers)

    # After it (the grace period is made to have passed), the old secret no longer signs
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        previous_secret_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    endpoint.refresh_from_db()
    WebhookDelivery.objects.all().delete()
    _send(_pending(endpoint))
    request = receiver.requests[-1]
    assert len(request.headers["webhook-signature"].split(" ")) == 1
    with pytest.raises(WebhookVerificationError):
        Webhook(old_secret).verify(request.body, request.headers)
    Webhook(endpoint.secret).verify(request.body, request.headers)
    # And the next sweep forgets it
    sending.deliveries_due()
    endpoint.refresh_from_db()
    assert (endpoint.previous_secret, endpoint.previous_secret_expires_at) == ("", None)


def test_rotation_without_grace_drops_the_old_secret_at_once(endpoint, hr_admin):
    endpoint = endpoint_rotate_secret(endpoint=endpoint, by=hr_admin, grace=datetime.timedelta(0))
    assert sending.live_secrets(endpoint, timezone.now()) == [endpoint.secret]


def test_retry_schedule_backs_off_and_the_delivery_fails_after_the_last_attempt(hr_admin, settings):
    # Given the default schedule and an endpoint that always answers 503
    settings.WEBHOOK_RETRY_SCHEDULE = [5, 300, 1800, 7200, 18000, 36000]
    with Receiver(default_status=503) as down:
        endpoint = WebhookEndpoint.objects.create(url=down.url)
        delivery = _pending(endpoint)
        start = delivery.window_started_at
        waits, now = [], start
        # When every attempt is made as soon as it is due
        for _ in range(7):
            outcome = _send(delivery, now=now)
            delivery.refresh_from_db()
            if outcome == "failed":
                break
            waits.append(round((delivery.next_attempt_at - now).total_seconds()))
            now = delivery.next_attempt_at
        requests = len(down.requests)
    # Then the waits follow the schedule, the 7th attempt fails it for good, and each attempt was logged
    assert waits == [5, 300, 1800, 7200, 18000, 36000]
    assert outcome == "failed"
    assert delivery.state == State.FAILED
    assert delivery.last_status_code == 503
    assert requests == 7
    assert DeliveryAttempt.objects.filter(delivery=delivery, status_code=503).count() == 7
    assert now - start < datetime.timedelta(hours=24)
    # And nothing picks it up again
    assert sending.deliveries_due(now=now + datetime.timedelta(days=1)) == []


def test_retries_are_capped_so_the_last_attempt_falls_within_the_window(settings):
    settings.WEBHOOK_RETRY_SCHEDULE = [3600, 20 * 3600, 20 * 3600]
    start = timezone.now()
    second = sending.next_attempt_time(attempt_count=1, window_started_at=start, now=start)
    third = sending.next_attempt_time(attempt_count=2, window_started_at=start, now=second)
    fourth = sending.next_attempt_time(attempt_count=3, window_started_at=start, now=third)
    assert (second, third) == (start + datetime.timedelta(hours=1), start + datetime.timedelta(hours=21))
    assert fourth == start + datetime.timedelta(hours=24), "capped at the end of the window"
    assert sending.next_attempt_time(attempt_count=4, window_started_at=start, now=fourth) is None


def test_connection_refused_is_logged_and_retried(hr_admin, fast_retries):
    endpoint = WebhookEndpoint.objects.create(url=f"http://127.0.0.1:{free_port()}/hook")
    delivery = _pending(endpoint)
    assert _send(delivery) == "retrying"
    delivery.refresh_from_db()
    [attempt] = delivery.attempts.all()
    assert attempt.status_code is None
    assert "ConnectionRefusedError" in attempt.error
    assert delivery.state == State.PENDING
    assert delivery.last_error == attempt.error


def test_every_attempt_is_logged_with_status_duration_and_the_start_of_the_body(endpoint, receiver):
    receiver.statuses = [500]
    receiver.response_body = b"x" * 5000
    delivery = _pending(endpoint)
    _send(delivery)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    _send(delivery)
    attempts = list(delivery.attempts.order_by("started_at"))
    assert [attempt.status_code for attempt in attempts] == [500, 200]
    assert all(len(attempt.response_body) == 1024 for attempt in attempts)
    assert all(attempt.duration_ms >= 0 and attempt.error == "" for attempt in attempts)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.last_status_code) == (State.DELIVERED, 200)


def test_a_redirect_is_not_followed(endpoint, receiver):
    receiver.statuses = [302]
    receiver.redirect_to = "http://127.0.0.1:9/elsewhere"
    delivery = _pending(endpoint)
    assert _send(delivery) == "retrying"
    assert len(receiver.requests) == 1


def test_a_delivery_not_due_or_already_delivered_is_skipped(endpoint, receiver):
    delivery = _pending(endpoint)
    assert _send(delivery, now=delivery.next_attempt_at - datetime.timedelta(seconds=1)) == "skipped"
    assert _send(delivery) == "delivered"
    assert deliver_webhook_task.delay(delivery.pk).get() == "skipped"
    assert len(receiver.requests) == 1


def test_claim_lets_one_of_two_concurrent_workers_send(endpoint, receiver):
    delivery = _pending(endpoint)
    now = timezone.now()
    assert sending._claim(delivery.pk, "first", now) is True
    assert sending._claim(delivery.pk, "second", now) is False
    assert _send(delivery, claim="second") == "skipped"
    assert receiver.requests == []


@pytest.mark.django_db(transaction=True)
def test_four_workers_racing_for_one_delivery_send_it_once(hr_admin, monkeypatch):
    monkeypatch.setattr("enablement.webhooks.outbox._dispatch", lambda event_ids: None)  # no eager send on commit
    with Receiver() as receiver:
        endpoint = WebhookEndpoint.objects.create(url=receiver.url)
        delivery = _pending(endpoint)
        start = threading.Barrier(4)
        outcomes = []

        def worker(token: str) -> None:
            from django.db import connection

            try:
                start.wait(timeout=10)
                outcomes.append(_send(delivery, claim=token))
            finally:
                connection.close()

        threads = [threading.Thread(target=worker, args=(f"w{n}",)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert sorted(outcomes) == ["delivered", "skipped", "skipped", "skipped"]
    assert len(receiver.requests) == 1


def test_sweep_takes_over_a_claim_whose_lease_ran_out(endpoint, receiver, settings):
    delivery = _pending(endpoint)
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.WEBHOOK_CLAIM_LEASE_SECONDS + 1)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        state=State.SENDING, claimed_at=long_ago, claim_token="died", attempt_count=1
    )
    assert sweep_webhook_deliveries_task.delay().get() == 1
    delivery.refresh_from_db()
    assert delivery.state == State.DELIVERED
    assert delivery.attempt_count == 2, "the dead worker's claim counts as an attempt"
    assert len(receiver.requests) == 1


def test_sweep_leaves_a_fresh_claim_alone(endpoint, receiver):
    delivery = _pending(endpoint)
    assert sending._claim(delivery.pk, "busy", timezone.now())
    assert sweep_webhook_deliveries_task.delay().get() == 0
    assert receiver.requests == []


def test_sweep_sends_a_pending_delivery_whose_task_was_lost(endpoint, receiver, settings):
    # Given a delivery whose on-commit dispatch never ran
    delivery = _pending(endpoint)
    # When the sweep runs at once, it leaves it to the dispatch that may still be on its way
    assert sweep_webhook_deliveries_task.delay().get() == 0
    # Then once the requeue delay has passed, the sweep sends it
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        updated_at=timezone.now() - datetime.timedelta(seconds=settings.WEBHOOK_REQUEUE_AFTER_SECONDS + 1)
    )
    assert sweep_webhook_deliveries_task.delay().get() == 1
    assert WebhookDelivery.objects.get().state == State.DELIVERED
    assert len(receiver.requests) == 1


def test_sweep_queues_a_due_delivery_once_per_requeue_delay(endpoint, settings):
    delivery = _pending(endpoint)
    later = timezone.now() + datetime.timedelta(seconds=settings.WEBHOOK_REQUEUE_AFTER_SECONDS + 1)
    assert sending.deliveries_due(now=later) == [delivery.pk]
    assert sending.deliveries_due(now=later) == [], "queued moments ago: its task is on its way"
    much_later = later + datetime.timedelta(seconds=settings.WEBHOOK_REQUEUE_AFTER_SECONDS + 1)
    assert sending.deliveries_due(now=much_later) == [delivery.pk], "that task was lost: queued again"


def test_redeliver_sends_a_failed_delivery_again_now_with_the_same_id(
    endpoint, receiver, hr_admin, django_capture_on_commit_callbacks
):
    delivery = _pending(endpoint)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(state=State.FAILED, attempt_count=7)
    with django_capture_on_commit_callbacks(execute=True):
        delivery_redeliver(delivery=delivery, by=hr_admin)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempt_count) == (State.DELIVERED, 1)
    [request] = receiver.requests
    assert request.headers["webhook-id"] == delivery.event_id


def test_redeliver_of_a_delivered_one_makes_a_new_attempt(
    endpoint, receiver, hr_admin, django_capture_on_commit_callbacks
):
    delivery = _pending(endpoint)
    _send(delivery)
    with django_capture_on_commit_callbacks(execute=True):
        delivery_redeliver(delivery=delivery, by=hr_admin)
    assert delivery.attempts.count() == 2
    assert [request.headers["webhook-id"] for request in receiver.requests] == [delivery.event_id] * 2


def test_redeliver_refuses_a_delivery_being_sent_and_an_inactive_endpoint(endpoint, hr_admin):

    delivery = _pending(endpoint)
    sending._claim(delivery.pk, "busy", timezone.now())
    with pytest.raises(ValidationError, match="being sent"):
        delivery_redeliver(delivery=delivery, by=hr_admin)
    endpoint_set_active(endpoint=endpoint, active=False, by=hr_admin)
    with pytest.raises(ValidationError, match="Activate"):
        delivery_redeliver(delivery=delivery, by=hr_admin)


def test_deactivating_cancels_pending_deliveries(endpoint, receiver, hr_admin):
    delivery = _pending(endpoint)
    endpoint_set_active(endpoint=endpoint, active=False, by=hr_admin)
    delivery.refresh_from_db()
    assert delivery.state == State.CANCELLED
    assert _send(delivery) == "skipped"
    assert receiver.requests == []


def test_task_run_twice_sends_once(endpoint, receiver):
    delivery = _pending(endpoint)
    assert deliver_webhook_task.delay(delivery.pk).get() == "delivered"
    assert deliver_webhook_task.delay(delivery.pk).get() == "skipped"
    assert len(receiver.requests) == 1


def test_a_binary_answer_is_logged_and_the_delivery_is_done(hr_admin):
    with Receiver(response_body=b"ok\x00\x01binary") as receiver:
        endpoint = endpoint_create(url=receiver.url, by=hr_admin)
        delivery = _pending(endpoint)
        assert sending.delivery_send(delivery_id=delivery.pk, token="t") == "delivered"

    attempt = DeliveryAttempt.objects.get()
    assert "\x00" not in attempt.response_body and attempt.response_body.startswith("ok")
    assert len(receiver.requests) == 1


def test_a_pending_delivery_with_no_attempts_left_fails_instead_of_waiting_forever(endpoint, settings):
    delivery = _pending(endpoint)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(attempt_count=5)
    settings.WEBHOOK_RETRY_SCHEDULE = [5, 300]

    assert delivery.pk not in sending.deliveries_due()
    delivery.refresh_from_db()
    assert delivery.state == State.FAILED


def test_a_name_that_resolves_inside_the_network_is_not_called(hr_admin, settings, monkeypatch):
    endpoint = endpoint_create(url="https://hooks.example.com/in", by=hr_admin)
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = False
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, port, **kwargs: [(2, 1, 6, "", ("10.1.2.3", port))])
    delivery = _pending(endpoint)

    assert sending.delivery_send(delivery_id=delivery.pk, token="t") == "retrying"
    assert DeliveryAttempt.objects.get().error == (
        "Refused: hooks.example.com resolves to a private or local address (10.1.2.3)."
    )
