"""Reminders end to end: a real Celery worker on Redis, a real SMTP server on loopback, and the database
the suite runs against (SQLite or PostgreSQL). Each reminder is emailed once, whatever runs twice or dies."""

import datetime
import json
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.utils import timezone

from enablement.accounts import roles
from enablement.models import Reminder
from enablement.notifications.registry import get_kind
from enablement.notifications.services import reminders_sweep
from enablement.notifications.tasks import deliver_reminder_task, sweep_reminders_task
from managers.models import Acknowledgement
from managers.reminders import ACK_PENDING
from managers.services.charters import charter_acknowledge, charter_publish, role_assign
from tests.enablement.factories import PersonFactory, UserFactory
from tests.integration.conftest import redis_broker, running_worker
from tests.integration.smtp import SmtpServer, smtp_server
from tests.managers.factories import RoleFactory, publishable_draft

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SITE_URL = "http://testserver.example"
Status = Reminder.Status


def _due_acknowledgements(count: int) -> list[Acknowledgement]:
    """`count` holders of a freshly published charter, asked to acknowledge it long enough ago that
    the acknowledgement reminder is due."""
    role = RoleFactory(name="Frontline Sales Manager, Enterprise")
    for _ in range(count):
        role_assign(person=PersonFactory(user=UserFactory()), role=role, on=timezone.localdate(), by=None)
    charter_publish(version=publishable_draft(role=role, number=1), by=UserFactory(roles=[roles.SALES_LEADER]))
    asked = timezone.now() - datetime.timedelta(days=settings.CHARTER_ACK_REMIND_AFTER_DAYS, hours=1)
    acknowledgements = Acknowledgement.objects.filter(version__role=role)
    assert acknowledgements.update(requested_at=asked) == count
    return list(acknowledgements.select_related("person__user", "version__role").order_by("pk"))


def _worker_env(smtp: SmtpServer, **extra: str) -> dict[str, str]:
    return {**smtp.worker_env, "SITE_URL": SITE_URL, **extra}


def _status(reminder_id: int) -> str:
    return Reminder.objects.values_list("status", flat=True).get(pk=reminder_id)


def _succeeded_with(log: str, task_id: str) -> str | None:
    """The return value the worker logged for task `task_id`, once it has finished."""
    match = re.search(rf"\[{task_id}\] succeeded in [\d.]+s: (.*)", log)
    return match.group(1).strip() if match else None


def test_sweep_reminders_task_emails_a_due_acknowledgement_once(redis_url, smtp, tmp_path, sending_for_real, wait_for):
    # Given a holder who was asked to acknowledge their charter longer ago than the reminder waits
    [acknowledgement] = _due_acknowledgements(1)
    person = acknowledgement.person
    broker = redis_broker(redis_url)
    with running_worker(broker, tmp_path, env=_worker_env(smtp)) as worker, broker.connection() as conn:
        # When beat's sweep runs in a real worker, which queues the delivery for itself
        first = sweep_reminders_task.apply_async(args=[ACK_PENDING], queue=worker.queue, connection=conn)
        delivered = smtp.wait_for_messages(1) and wait_for(
            lambda: Reminder.objects.filter(status=Status.SENT).exists(), timeout=30
        )
        # And the next sweep runs too
        second = sweep_reminders_task.apply_async(args=[ACK_PENDING], queue=worker.queue, connection=conn)
        swept_again = wait_for(lambda: _succeeded_with(worker.log_text(), second.id) is not None, timeout=30)
        log = worker.log_text()

    # Then exactly one email reached the holder, with both bodies linking to their charter
    assert delivered and swept_again, log
    assert _succeeded_with(log, first.id) == "1", log
    assert _succeeded_with(log, second.id) == "0", "the second sweep found the sent reminder ready again"
    [mail] = smtp.messages
    assert mail.rcpt_tos == [person.email]
    assert mail.message["To"] == person.email
    assert mail.message["Subject"] == "Please acknowledge your charter: Frontline Sales Manager, Enterprise v1"
    link = f"{SITE_URL}/my-charter/#acknowledge"  # straight to the form, at the foot of a long page
    assert link in mail.body("text/plain")
    assert f'href="{link}"' in mail.body("text/html")
    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.target_id, reminder.recipient_id) == (ACK_PENDING, acknowledgement.pk, person.pk)
    assert reminder.status == Status.SENT
    assert reminder.attempts == 1


def test_reminders_sweep_run_at_once_from_several_connections_creates_each_reminder_once():
    # Given 30 due acknowledgements
    acknowledgements = _due_acknowledgements(30)
    kind = get_kind(ACK_PENDING)
    sweeps = 4
    start = threading.Barrier(sweeps)

    def sweep() -> list[int]:
        try:
            start.wait(timeout=30)
            return reminders_sweep(kind=kind)
        finally:
            connection.close()  # this thread's own connection

    # When four sweeps start at the same moment, each on its own database connection
    with ThreadPoolExecutor(max_workers=sweeps) as pool:
        ready = [future.result(timeout=60) for future in [pool.submit(sweep) for _ in range(sweeps)]]

    # Then each acknowledgement has exactly one reminder, and each reminder was handed on for delivery
    # by at least one sweep (the one that created it; a sweep whose clock read earlier does not yet
    # count another's rows as due, and the claim stops a reminder handed on twice being sent twice)
    reminders = Reminder.objects.filter(kind=ACK_PENDING)
    assert reminders.count() == 30
    assert sorted(reminders.values_list("target_id", flat=True)) == [ack.pk for ack in acknowledgements]
    assert set().union(*ready) == set(reminders.values_list("pk", flat=True))


VISIBILITY_TIMEOUT = 3


def _unacked_task_ids(url: str) -> set[str]:
    """The ids of the tasks Redis holds as delivered but not yet acknowledged (kombu's `unacked` hash)."""
    client = redis.Redis.from_url(url)
    return {json.loads(raw)[0].get("headers", {}).get("id") for raw in client.hvals("unacked")}


def test_deliver_reminder_task_whose_worker_is_killed_mid_send_emails_once_after_restart(
    redis_url, tmp_path, sending_for_real, wait_for
):
    """Proves the broker path: the killed worker never acknowledged the message, so the next worker
    gets the same message again from Redis (kombu's `restore_visible`, run as its event loop starts,
    puts back messages unacknowledged for longer than the visibility timeout) and the redelivered task,
    carrying the same id, takes back its own claim. No sweep runs in this test."""
    # Given a pending reminder, and a mail server that hangs on the first message it is sent
    [acknowledgement] = _due_acknowledgements(1)
    [reminder_id] = reminders_sweep(kind=get_kind(ACK_PENDING))
    broker = redis_broker(redis_url)
    with smtp_server(stall_first_data_for=60) as smtp:
        env = _worker_env(smtp, CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT))
        with running_worker(broker, tmp_path, env=env) as first, broker.connection() as conn:
            task = deliver_reminder_task.apply_async(args=[reminder_id], queue=first.queue, connection=conn)
            mid_send = wait_for(
                lambda: smtp.handler.data_seen.is_set() and _status(reminder_id) == Status.SENDING, timeout=30
            )
            assert mid_send, first.log_text()
            # When the worker dies with the email half sent
            first.kill()
            killed_at = time.monotonic()
        assert task.id in _unacked_task_ids(redis_url), "the killed worker should not have acknowledged it"
        # Redis only hands a message out again once it has been unacknowledged past the visibility
        # timeout; it was delivered before the claim we saw, so this much later is always enough.
        time.sleep(max(0.0, killed_at + VISIBILITY_TIMEOUT + 1 - time.monotonic()))
        # And a new worker starts on the same queue
        with running_worker(broker, tmp_path, env=env, queue=first.queue) as second:
            sent = wait_for(lambda: _status(reminder_id) == Status.SENT, timeout=30)
            log = second.log_text()
        messages, data_commands = smtp.messages, smtp.handler.data_commands

    # Then the same task was delivered again and sent the email, once
    assert sent, log
    assert f"deliver_reminder_task[{task.id}]" in log
    assert data_commands == 2, "one stalled attempt, one delivery"
    assert [mail.rcpt_tos for mail in messages] == [[acknowledgement.person.email]]
    reminder = Reminder.objects.get(pk=reminder_id)
    assert reminder.status == Status.SENT
    assert reminder.attempts == 2, "one claim per delivery of the task"


def test_deliver_reminder_task_drops_a_reminder_acknowledged_before_delivery(
    redis_url, smtp, tmp_path, sending_for_real, wait_for
):
    # Given two holders with a reminder each, one of whom acknowledges before the reminders go out
    done, still_due = _due_acknowledgements(2)
    reminder_ids = reminders_sweep(kind=get_kind(ACK_PENDING))
    reminder_for = dict(Reminder.objects.values_list("target_id", "pk"))
    charter_acknowledge(
        acknowledgement=done, by=done.person.user, clarity_focus=4, clarity_deprioritize=4, clarity_success=5
    )
    broker = redis_broker(redis_url)
    expected = {reminder_for[done.pk]: Status.DROPPED, reminder_for[still_due.pk]: Status.SENT}

    # When a real worker delivers both
    with running_worker(broker, tmp_path, env=_worker_env(smtp)) as worker, broker.connection() as conn:
        for reminder_id in reminder_ids:
            deliver_reminder_task.apply_async(args=[reminder_id], queue=worker.queue, connection=conn)
        settled = wait_for(lambda: dict(Reminder.objects.values_list("pk", "status")) == expected, timeout=30)
        log = worker.log_text()

    # Then the acknowledged one is dropped and only the other holder gets an email
    assert settled, (dict(Reminder.objects.values_list("pk", "status")), log)
    assert [mail.rcpt_tos for mail in smtp.messages] == [[still_due.person.email]]
