"""Separate queues: thousands of webhook deliveries to a receiver that never answers wait on the webhook
queue and its worker, while a due reminder and the heartbeat go through the default queue's worker at
once, on the embedded broker and on Redis, on whichever database the suite runs against."""

import socket
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import transaction
from django.urls import reverse

from enablement.health.tasks import record_worker_heartbeat_task
from enablement.models import Reminder, WorkerHeartbeat
from enablement.notifications.tasks import sweep_reminders_task
from enablement.webhooks import outbox
from enablement.webhooks.models import DeliveryAttempt, WebhookEvent
from enablement.webhooks.outbox import emit
from enablement.webhooks.services import endpoint_create
from enablement.webhooks.tasks import dispatch_webhook_events_task
from managers.reminders import ACK_PENDING
from tests.enablement.factories import UserFactory
from tests.integration.conftest import running_workers
from tests.integration.test_reminders import _due_acknowledgements
from tests.integration.test_webhooks import _person_payload

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

BACKLOG = 2000
PROMPTLY = 15  # seconds; the backlog alone would take BACKLOG × the webhook timeout to drain


@contextmanager
def silent_receiver() -> Iterator[int]:
    """A port that accepts connections and never answers: every POST waits for the whole timeout, like a
    receiver behind a dead load balancer."""
    with socket.create_server(("127.0.0.1", 0), backlog=1) as server:
        yield server.getsockname()[1]


def _queued(conn, queue: str) -> int:
    return conn.default_channel.queue_declare(queue=queue).message_count


def test_a_webhook_backlog_does_not_delay_a_reminder_or_the_heartbeat(
    broker, smtp, tmp_path, client, monkeypatch, sending_for_real, wait_for
):
    # Given a due acknowledgement reminder, and 2,000 webhook deliveries to an endpoint that never answers
    [acknowledgement] = _due_acknowledgements(1)
    tag = uuid.uuid4().hex[:8]
    default_queue, webhook_queue = f"itest-{tag}", f"itest-{tag}-webhooks"
    env = {
        **smtp.worker_env,
        "CELERY_DEFAULT_QUEUE": default_queue,
        "CELERY_WEBHOOK_QUEUE": webhook_queue,
        "WEBHOOK_ALLOW_PRIVATE_HOSTS": "true",  # the receiver listens on 127.0.0.1
        "WEBHOOK_TIMEOUT_SECONDS": "2",
    }
    emitted: list[list[str]] = []
    monkeypatch.setattr(outbox, "_dispatch", emitted.append)
    with silent_receiver() as port:
        endpoint_create(url=f"http://127.0.0.1:{port}/hooks", by=UserFactory())
        with transaction.atomic():
            emit("person.updated", [_person_payload(number) for number in range(BACKLOG)])
        [event_ids] = emitted
        # And a worker for each queue, as `make run` and production start them
        webhook_spec = {"queue": webhook_queue, "env": env}
        default_spec = {"queue": default_queue, "env": env}
        with broker.connection() as conn:
            try:
                with running_workers(broker, tmp_path, webhook_spec, default_spec) as (webhooks, worker):
                    # When the commit's dispatch fans the 2,000 deliveries out (in the webhook worker, whose
                    # routing sends them to the webhook queue) and they start timing out one after another
                    dispatch_webhook_events_task.apply_async(args=[event_ids], queue=webhook_queue, connection=conn)
                    backlog = wait_for(lambda: _queued(conn, webhook_queue) >= BACKLOG - 10, timeout=60)
                    assert backlog, webhooks.log_text()
                    # And beat's heartbeat and the acknowledgement sweep go out to the default queue
                    sent_at = time.monotonic()
                    record_worker_heartbeat_task.apply_async(queue=default_queue, connection=conn)
                    sweep_reminders_task.apply_async(args=[ACK_PENDING], queue=default_queue, connection=conn)

                    # Then the default worker runs them at once, while the backlog still waits
                    beat = wait_for(lambda: WorkerHeartbeat.objects.filter(hostname=worker.hostname).exists(), PROMPTLY)
                    heartbeat_after = time.monotonic() - sent_at
                    mailed = smtp.wait_for_messages(1, timeout=PROMPTLY) and wait_for(
                        lambda: Reminder.objects.filter(status=Reminder.Status.SENT).exists(), timeout=5
                    )
                    reminder_after = time.monotonic() - sent_at
                    still_waiting = _queued(conn, webhook_queue)
                    health = client.get(reverse("enablement:health")).json()
                    logs = worker.log_text() + webhooks.log_text()
            finally:  # once the workers have stopped and put back what they held
                conn.default_channel.queue_purge(webhook_queue)  # Redis keeps what is left otherwise

    assert beat and mailed, logs
    assert still_waiting >= BACKLOG - 20, "the backlog should still be there: it was overtaken, not drained"
    assert DeliveryAttempt.objects.count() < 20
    assert [mail.rcpt_tos for mail in smtp.messages] == [[acknowledgement.person.email]]
    assert health["status"] == "ok" and health["worker"] == "ok"
    # And the deliveries ran in the webhook worker only
    assert "deliver_webhook_task[" not in worker.log_text()
    assert "deliver_webhook_task[" in webhooks.log_text()
    assert WebhookEvent.objects.count() == BACKLOG
    print(  # noqa: T201
        f"\n{BACKLOG} webhook deliveries queued: heartbeat ran after {heartbeat_after:.2f} s, reminder emailed "
        f"after {reminder_after:.2f} s; {still_waiting} deliveries still waiting"
    )
