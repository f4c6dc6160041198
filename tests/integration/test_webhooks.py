"""Webhooks end to end: real Celery workers on a real broker, a real HTTP receiver on loopback that is
down, then failing, then up, and the database the suite runs against (SQLite or PostgreSQL). Each event
arrives exactly once, signed; a change that rolls back sends nothing."""

import json
import time

import pytest
from django.db import transaction
from django.utils import timezone
from standardwebhooks import Webhook

from enablement.accounts import roles
from enablement.webhooks import outbox
from enablement.webhooks.models import DeliveryAttempt, WebhookDelivery, WebhookEvent
from enablement.webhooks.outbox import emit
from enablement.webhooks.services import endpoint_create
from enablement.webhooks.tasks import dispatch_webhook_events_task, sweep_webhook_deliveries_task
from managers.models import Acknowledgement
from managers.services.charters import charter_acknowledge, charter_publish, role_assign
from tests.enablement.factories import PersonFactory, UserFactory
from tests.integration.conftest import running_worker
from tests.managers.factories import RoleFactory, publishable_draft
from tests.webhooks.receiver import Receiver, free_port

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# Retries a second apart (the default waits minutes to hours), and enough of them to outlast the outage.
# Sweeps re-queue due deliveries after a second (not a minute), so they race the retries for every row.
WORKER_ENV = {
    "WEBHOOK_RETRY_SCHEDULE": ",".join(["1"] * 30),
    "WEBHOOK_REQUEUE_AFTER_SECONDS": "1",
    "WEBHOOK_ALLOW_PRIVATE_HOSTS": "true",  # the receiver listens on 127.0.0.1
}


def _person_payload(number: int) -> dict:
    return {
        "id": number,
        "external_id": f"HR-{number}",
        "first_name": "Sam",
        "last_name": f"Seller {number}",
        "email": f"sam{number}@example.com",
        "title": "Account Executive",
        "team": None,
        "manager": None,
        "employment_status": "active",
        "start_date": None,
        "end_date": None,
        "updated_at": timezone.now(),
        "changed_fields": ["title"],
    }


def test_every_event_arrives_once_signed_after_the_receiver_recovers(
    broker, tmp_path, sending_for_real, wait_for, monkeypatch
):
    # Given an endpoint whose receiver is down (nothing listens on its port), and a role with a holder
    port = free_port()
    hr_admin = UserFactory(username="hr")
    leader = UserFactory(username="leader", roles=[roles.SALES_LEADER])  # charters are published by leaders
    holder = PersonFactory(user=UserFactory(username="holder"))
    role = RoleFactory(name="Frontline Sales Manager, Enterprise")
    role_assign(person=holder, role=role, on=timezone.localdate(), by=None)
    endpoint = endpoint_create(url=f"http://127.0.0.1:{port}/hooks", by=hr_admin)  # after the setup's own events
    rolled_back = RoleFactory(name="Never published")
    draft = publishable_draft(role=role, number=1)
    other_draft = publishable_draft(role=rolled_back, number=1)

    with running_worker(broker, tmp_path, concurrency=2, env=WORKER_ENV) as worker, broker.connection() as conn:
        # Commits hand their events to this worker's queue (the on-commit dispatch, as in production)
        def dispatch(event_ids: list[str]) -> None:
            dispatch_webhook_events_task.apply_async(args=[event_ids], queue=worker.queue, connection=conn)

        monkeypatch.setattr(outbox, "_dispatch", dispatch)

        # When changes commit while the receiver is down: a charter published and acknowledged, and a
        # people sync of 50 updates in one transaction
        charter_publish(version=draft, by=leader)
        charter_acknowledge(
            acknowledgement=Acknowledgement.objects.get(person=holder),
            by=holder.user,
            clarity_focus=4,
            clarity_deprioritize=4,
            clarity_success=5,
        )
        with transaction.atomic():
            emit("person.updated", [_person_payload(number) for number in range(50)])
        # And one whose on-commit dispatch is lost: only the sweep finds it
        monkeypatch.setattr(outbox, "_dispatch", lambda event_ids: None)
        with transaction.atomic():
            emit("person.updated", [_person_payload(99)])
        monkeypatch.setattr(outbox, "_dispatch", dispatch)
        # And a change that rolls back
        with pytest.raises(RuntimeError), transaction.atomic():
            charter_publish(version=other_draft, by=leader)
            raise RuntimeError("the change fails after publishing")

        refused = wait_for(
            lambda: DeliveryAttempt.objects.filter(error__contains="ConnectionRefused").count() >= 52, timeout=30
        )
        assert refused, worker.log_text()
        # Then the receiver comes up, answers 503 a few times, then 200; sweeps run meanwhile, twice at once
        with Receiver(port=port, statuses=[503] * 5) as receiver:
            for _ in range(3):
                for _ in range(2):
                    sweep_webhook_deliveries_task.apply_async(queue=worker.queue, connection=conn)
                time.sleep(1)
            delivered = wait_for(
                lambda: WebhookDelivery.objects.exclude(state=WebhookDelivery.State.DELIVERED).count() == 0, timeout=60
            )
            time.sleep(1)  # anything sent twice would arrive by now
            log = worker.log_text()
            accepted, requests = receiver.accepted(), list(receiver.requests)

    # Then every event arrived exactly once (by webhook-id), signed with the endpoint's secret
    assert delivered, log
    events = dict(WebhookEvent.objects.values_list("id", "event_type"))
    assert sorted(events.values()) == ["charter.acknowledged", "charter.published"] + ["person.updated"] * 51
    assert receiver.accepted_ids() == {event_id: 1 for event_id in events}
    assert sum(1 for request in requests if request.status == 503) == 5
    for request in accepted:
        envelope = Webhook(endpoint.secret).verify(request.body, request.headers)
        assert envelope["type"] == events[request.headers["webhook-id"]]
        assert request.path == "/hooks"
    # And the rolled-back charter sent nothing
    published = [
        json.loads(request.body) for request in accepted if events[request.headers["webhook-id"]] == "charter.published"
    ]
    assert [envelope["data"]["role"]["id"] for envelope in published] == [role.pk]
    assert not WebhookEvent.objects.filter(payload__role__id=rolled_back.pk).exists()
    # And every attempt is in the log
    assert DeliveryAttempt.objects.filter(status_code=200).count() == len(events)
    assert DeliveryAttempt.objects.count() == len(requests) + DeliveryAttempt.objects.filter(status_code=None).count()
