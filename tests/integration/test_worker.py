"""A task sent from Django is executed by a real worker process and its effect lands in the database,
on the embedded filesystem broker and on Redis, on whichever database the suite runs against."""

import pytest
from django.db import connection

from enablement.health.tasks import record_worker_heartbeat_task
from enablement.models import Person, Team, WorkerHeartbeat
from enablement.org.services import team_create
from tests.integration.conftest import Broker, running_worker
from tests.integration.worker_tasks import crash_once_then_record

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _beats(hostname: str) -> int:
    return WorkerHeartbeat.objects.filter(hostname=hostname).values_list("beats", flat=True).first() or 0


def test_task_sent_from_django_runs_in_a_real_worker(broker, tmp_path, sending_for_real, wait_for):
    with running_worker(broker, tmp_path) as worker, broker.connection() as conn:
        for _ in range(3):
            record_worker_heartbeat_task.apply_async(queue=worker.queue, connection=conn)

        landed = wait_for(lambda: _beats(worker.hostname) == 3, timeout=30)

    assert landed, worker.log_text()
    assert list(WorkerHeartbeat.objects.values_list("hostname", flat=True)) == [worker.hostname]


def test_delay_from_django_goes_through_the_configured_broker(tmp_path, sending_for_real, wait_for):
    """No explicit connection: the task travels the way a view's `.delay()` sends it, on whatever
    broker the settings name (the embedded one by default, Redis when CELERY_BROKER_URL says so)."""
    configured = Broker(url="", env={}, transport_options={})  # the worker inherits this environment
    with running_worker(configured, tmp_path) as worker:
        record_worker_heartbeat_task.apply_async(queue=worker.queue)
        landed = wait_for(lambda: _beats(worker.hostname) == 1, timeout=30)
    assert landed, worker.log_text()


def test_task_whose_worker_process_dies_is_delivered_again(broker, tmp_path, sending_for_real, wait_for):
    marker = tmp_path / "crashed"
    with running_worker(broker, tmp_path) as worker, broker.connection() as conn:
        crash_once_then_record.apply_async(args=[str(marker), "redelivered"], queue=worker.queue, connection=conn)

        landed = wait_for(lambda: _beats("redelivered") == 1, timeout=60)

    assert marker.exists(), "the first delivery should have killed its pool process"
    assert landed, worker.log_text()
    assert "WorkerLostError" in worker.log_text()


def test_sqlite_web_and_worker_write_at_once_without_locking(tmp_path, sending_for_real, wait_for):
    if connection.vendor != "sqlite":
        pytest.skip("WAL and immediate transactions are the SQLite default's concern.")
    from tests.integration.conftest import filesystem_broker

    broker = filesystem_broker(tmp_path / "broker")
    tasks = 60
    with running_worker(broker, tmp_path, concurrency=2) as worker, broker.connection() as conn:
        for _ in range(tasks):
            record_worker_heartbeat_task.apply_async(queue=worker.queue, connection=conn)
        # Meanwhile "the web server" writes in transactions of its own.
        for number in range(tasks):
            team_create(name=f"Team {number}")
            Person.objects.count()

        landed = wait_for(lambda: _beats(worker.hostname) == tasks, timeout=60)

    log = worker.log_text()
    assert landed, log
    assert Team.objects.count() == tasks
    assert "database is locked" not in log
    assert "Retry in" not in log
