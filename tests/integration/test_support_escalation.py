"""A support request nobody answered in time, escalated by a real Celery worker on Redis with a real SMTP server
on loopback: the owner's manager and the raiser's leader are emailed once each, however often the sweep runs."""

import pytest

from enablement.models import Reminder
from enablement.notifications.tasks import sweep_reminders_task
from managers.support_reminders import ESCALATION_KIND
from tests.integration.conftest import redis_broker, running_worker
from tests.managers.support_helpers import outside_people, raise_request

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _succeeded(log: str, task_id: str) -> bool:
    return f"[{task_id}] succeeded" in log


def test_an_unanswered_request_is_escalated_once_to_each_manager(
    org, redis_url, smtp, tmp_path, sending_for_real, wait_for
):
    # Given a request raised 9 days ago (5 working days were due) that its owner never answered.
    outside = outside_people()
    request = raise_request(org["owner"], function=outside["function"], days_ago=9)
    broker = redis_broker(redis_url)
    env = {**smtp.worker_env, "SITE_URL": "http://testserver.example"}
    with running_worker(broker, tmp_path, env=env) as worker, broker.connection() as conn:
        # When beat's escalation sweep runs twice in a real worker.
        first = sweep_reminders_task.apply_async(args=[ESCALATION_KIND], queue=worker.queue, connection=conn)
        delivered = smtp.wait_for_messages(2) and wait_for(
            lambda: Reminder.objects.filter(kind=ESCALATION_KIND, status="sent").count() == 2, timeout=30
        )
        second = sweep_reminders_task.apply_async(args=[ESCALATION_KIND], queue=worker.queue, connection=conn)
        swept_again = wait_for(lambda: _succeeded(worker.log_text(), second.id), timeout=30)
        smtp.wait_for_messages(3, timeout=3)  # nothing more arrives
        log = worker.log_text()

    # Then the owner's manager and the raiser's leader each got one email linking to the request.
    assert delivered and swept_again and _succeeded(log, first.id), log
    assert sorted(mail.rcpt_tos[0] for mail in smtp.messages) == sorted(
        [outside["revops_lead"].email, org["leader"].email]
    )
    assert all("unanswered for 9 days" in mail.message["Subject"] for mail in smtp.messages)
    assert all(f"/support/{request.pk}/" in mail.body("text/plain") for mail in smtp.messages)
