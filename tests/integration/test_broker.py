"""The embedded broker under load: several producer processes write to the queue folder while two worker
processes take from it, and damaged message files sit among the good ones. kombu's own filesystem transport
can hand a worker a half-written file and die of the JSONDecodeError (kombu issue #1551); ours
(enablement/broker.py) writes atomically, claims by rename and moves damaged files aside."""

import multiprocessing
import os
import time
import uuid
from pathlib import Path

import pytest

from enablement.models import WorkerHeartbeat
from tests.integration.conftest import Broker, filesystem_broker, running_workers
from tests.integration.worker_tasks import record_run

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

PRODUCERS = 4
TASKS_EACH = 50
PADDING = "x" * 16_000  # bigger messages: longer writes, the window kombu's in-place write left open


def _produce(broker: Broker, queue: str, producer: int) -> None:
    """One producer process: sends its tasks as fast as it can over a connection of its own."""
    with broker.connection() as conn:
        for number in range(TASKS_EACH):
            record_run.apply_async(args=[f"p{producer}-{number}", PADDING], queue=queue, connection=conn)


def _drop(folder: Path, queue: str, content: bytes) -> str:
    """A message file under the name a producer would give it, in the middle of the queue's order."""
    name = f"{int(round(time.monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
    (folder / name).write_bytes(content)
    return name


def test_two_workers_run_every_task_once_and_set_damaged_files_aside(tmp_path, sending_for_real, wait_for):
    # Given the embedded broker and two worker processes on one queue
    broker = filesystem_broker(tmp_path / "broker")
    queue_dir = Path(broker.transport_options["data_folder_in"])
    queue = f"stress-{uuid.uuid4().hex[:8]}"
    with running_workers(broker, tmp_path, {"queue": queue}, {"queue": queue}) as workers:
        # When four producer processes send 200 tasks at once, and a half-written and a corrupt message
        # file appear in the queue folder meanwhile
        producers = [
            multiprocessing.get_context("fork").Process(target=_produce, args=(broker, queue, producer))
            for producer in range(PRODUCERS)
        ]
        started = time.monotonic()
        for producer in producers:
            producer.start()
        partial = _drop(queue_dir, queue, b'{"body": "eyJhcmdzIjogWyJwMC0w", "content-encoding": "utf-')
        corrupt = _drop(queue_dir, queue, b"\x00\xff\xfe not a message at all")
        for producer in producers:
            producer.join(timeout=60)
        assert [producer.exitcode for producer in producers] == [0] * PRODUCERS

        expected = {f"p{producer}-{number}" for producer in range(PRODUCERS) for number in range(TASKS_EACH)}
        done = wait_for(lambda: WorkerHeartbeat.objects.filter(hostname__in=expected).count() == len(expected), 60)
        drained = time.monotonic() - started
        time.sleep(1)  # a task run twice would land by now
        logs = "\n".join(worker.log_text() for worker in workers)
        alive = [worker.process.poll() is None for worker in workers]

    # Then every task ran exactly once, and both workers took part
    assert done, logs
    assert dict(WorkerHeartbeat.objects.values_list("hostname", "beats")) == dict.fromkeys(expected, 1)
    assert all(" succeeded in " in worker.log_text() for worker in workers)
    # And the workers logged both damaged files, moved them aside and carried on
    assert alive == [True, True], logs
    assert "Unrecoverable error" not in logs
    corrupt_dir = queue_dir.parent / "corrupt"
    for name in (partial, corrupt):
        assert f"broker message unreadable, moved aside: queue={queue} file={corrupt_dir / name}" in logs
    assert sorted(os.listdir(corrupt_dir)) == sorted([partial, corrupt])
    assert (corrupt_dir / corrupt).read_bytes() == b"\x00\xff\xfe not a message at all"
    # And nothing is left in the queue or claimed by a worker
    assert [name for name in os.listdir(queue_dir) if name.endswith(f".{queue}.msg")] == []
    assert os.listdir(queue_dir.parent / "claimed") == []
    print(f"{len(expected)} tasks from {PRODUCERS} producers drained by 2 workers in {drained:.1f} s")  # noqa: T201
