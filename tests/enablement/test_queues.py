"""Task routing: webhook work on its own queue, everything else on the default one, and every queue
consumed by a worker of `make run` (the Procfile) and of the production commands in the README."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from enablement.celery import app

ROOT = Path(__file__).resolve().parents[2]

WEBHOOK_TASKS = {
    "enablement.webhooks.tasks.deliver_webhook_task",
    "enablement.webhooks.tasks.dispatch_webhook_events_task",
    "enablement.webhooks.tasks.sweep_webhook_deliveries_task",
    "enablement.webhooks.tasks.purge_webhook_events_task",
}
DEFAULT_TASKS = {
    "enablement.tasks.record_worker_heartbeat_task",
    "enablement.tasks.sweep_reminders_task",
    "enablement.tasks.deliver_reminder_task",
    "enablement.tasks.send_digests_task",
    "enablement.tasks.deliver_digest_task",
    "enablement.tasks.prune_api_request_log_task",
    "enablement.tasks.purge_idempotency_records_task",
    "coaching.pulse.tasks.advance_pulses_task",
}


def _our_tasks() -> set[str]:
    app.loader.import_default_modules()
    return {name for name in app.tasks if name.split(".")[0] in {"enablement", "managers", "coaching"}}


def _queue_of(task_name: str) -> str:
    return app.amqp.router.route({}, task_name)["queue"].name


def test_every_task_of_ours_is_listed_here():
    """A new task must be given a queue on purpose: add it to one of the two sets."""
    assert _our_tasks() == WEBHOOK_TASKS | DEFAULT_TASKS


@pytest.mark.parametrize("task_name", sorted(WEBHOOK_TASKS))
def test_webhook_tasks_go_to_the_webhook_queue(task_name):
    assert _queue_of(task_name) == settings.WEBHOOK_QUEUE == "webhooks"


@pytest.mark.parametrize("task_name", sorted(DEFAULT_TASKS))
def test_reminders_the_heartbeat_and_the_rest_go_to_the_default_queue(task_name):
    assert _queue_of(task_name) == settings.CELERY_TASK_DEFAULT_QUEUE == "celery"


def test_both_queues_are_declared_so_a_worker_without_queues_consumes_them():
    assert [queue.name for queue in app.conf.task_queues] == ["celery", "webhooks"]


def _expand(command: str) -> str:
    """`${NAME:-default}` as the shell that runs a Procfile line reads it, with NAME unset."""
    return re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", command)


def _consumed(command: str) -> set[str]:
    match = re.search(r"--queues[= ](\S+)", _expand(command))
    return set(match.group(1).split(",")) if match else set()


def test_make_run_supervises_every_process_and_its_workers_consume_every_queue():
    lines = dict(
        line.split(":", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line and not line.startswith("#")
    )
    workers = {name: command for name, command in lines.items() if " worker " in command}

    assert set(lines) == {"web", "worker", "webhooks", "beat"}
    for name, command in lines.items():
        assert command.strip().startswith(f".venv/bin/python -m enablement.supervise --name {name} -- "), name
    # a worker of its own for each queue: a slow webhook cannot hold up the default queue's worker
    assert [_consumed(workers["worker"]), _consumed(workers["webhooks"])] == [{"celery"}, {"webhooks"}]


def test_the_production_commands_consume_every_queue():
    readme = (ROOT / "README.md").read_text()
    commands = [line for line in readme.splitlines() if line.startswith(".venv/bin/celery -A enablement worker")]
    assert len(commands) == 2
    assert [_consumed(command) for command in commands] == [{"celery"}, {"webhooks"}]
