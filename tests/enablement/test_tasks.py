import pytest
from django_celery_beat.models import PeriodicTask

from enablement.celery import app
from enablement.health.services import worker_heartbeat_record
from enablement.health.tasks import record_worker_heartbeat_task
from enablement.models import WorkerHeartbeat


@pytest.mark.django_db
def test_heartbeat_task_counts_every_run_per_worker():
    record_worker_heartbeat_task.delay()
    record_worker_heartbeat_task.delay()
    worker_heartbeat_record(hostname="celery@other")
    beats = dict(WorkerHeartbeat.objects.values_list("hostname", "beats"))
    assert beats.pop("celery@other") == 1
    assert list(beats.values()) == [2]


@pytest.mark.django_db
def test_heartbeat_is_scheduled_in_the_database_for_beat():
    scheduled = PeriodicTask.objects.get(name="Worker heartbeat")
    assert scheduled.task == record_worker_heartbeat_task.name
    assert scheduled.enabled and scheduled.interval.every == 60


def test_celery_app_finds_tasks_and_acknowledges_late():
    app.loader.import_default_modules()
    assert record_worker_heartbeat_task.name in app.tasks
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"
