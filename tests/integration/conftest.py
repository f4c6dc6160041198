"""Real Celery workers for the integration tests.

Each worker is a separate `celery worker` process on the project's real settings (not eager mode),
connected to the test database and to a broker: the embedded filesystem transport or Redis. Every test
gets its own queue, so nothing left over from another run can satisfy it. The `smtp` fixture is a real
SMTP server on loopback (tests/integration/smtp.py) for workers to send their mail to.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from kombu import Connection

from enablement.celery import app
from tests.integration.smtp import smtp_server

ROOT = Path(__file__).resolve().parents[2]
WORKER_START_TIMEOUT = 60


@dataclass
class Broker:
    url: str
    env: dict[str, str]
    transport_options: dict
    transport: str | None = None  # the class, when not the URL's own (as the settings choose it)

    def connection(self) -> Connection:
        return Connection(self.url, transport=self.transport, transport_options=self.transport_options)


@dataclass
class Worker:
    hostname: str
    queue: str
    log: Path
    process: subprocess.Popen | None = None

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        """Kills the worker and its pool processes at once (SIGKILL to its process group), the way a
        machine dies: nothing is acknowledged, rejected or cleaned up."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


def test_database_url() -> str:
    """The database this test session created, as a URL a worker process can use."""
    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{params['NAME']}"
    user = quote(params.get("USER") or "")
    password = f":{quote(params['PASSWORD'])}" if params.get("PASSWORD") else ""
    host = params.get("HOST") or "127.0.0.1"
    port = f":{params['PORT']}" if params.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{params['NAME']}"


def filesystem_broker(folder: Path) -> Broker:
    queue_dir, control_dir = folder / "queue", folder / "control"
    queue_dir.mkdir(parents=True)
    control_dir.mkdir(parents=True)
    return Broker(
        url="filesystem://localhost//",
        env={"CELERY_BROKER_URL": "filesystem://localhost//", "CELERY_BROKER_DIR": str(folder)},
        transport_options={
            "data_folder_in": str(queue_dir),
            "data_folder_out": str(queue_dir),
            "control_folder": str(control_dir),
        },
        transport="enablement.broker:Transport",  # what the settings choose for filesystem:// (workers too)
    )


def redis_broker(url: str) -> Broker:
    return Broker(url=url, env={"CELERY_BROKER_URL": url}, transport_options={})


def _brokers_to_test() -> list[str]:
    """The broker the run is configured with (CI's SQLite leg: the filesystem transport; its PostgreSQL leg:
    Redis), so each leg tests its own; TEST_BROKERS=filesystem,redis runs both in one go."""
    if names := os.environ.get("TEST_BROKERS"):
        return [name.strip() for name in names.split(",") if name.strip()]
    return ["redis" if os.environ.get("CELERY_BROKER_URL", "").startswith("redis://") else "filesystem"]


@pytest.fixture(params=_brokers_to_test())
def broker(request, tmp_path) -> Broker:
    if request.param == "filesystem":
        return filesystem_broker(tmp_path / "broker")
    return redis_broker(request.getfixturevalue("redis_url"))


@pytest.fixture
def sending_for_real():
    """Unit tests run tasks eagerly; these tests send them to a broker."""
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


@contextmanager
def running_worker(
    broker: Broker,
    log_dir: Path,
    *,
    concurrency: int = 1,
    env: dict[str, str] | None = None,
    queue: str | None = None,
) -> Iterator[Worker]:
    """A worker consuming its own queue (or `queue`, to take over from one that died), with `env` on
    top of the broker's and the test database's. Tasks it sends go to that queue too, webhook deliveries
    included, so a sweep's deliveries stay with this worker, unless `env` names the queues
    (CELERY_DEFAULT_QUEUE, CELERY_WEBHOOK_QUEUE). It runs in a session of its own, so `Worker.kill` can
    take down the whole process group."""
    with running_workers(broker, log_dir, {"concurrency": concurrency, "env": env, "queue": queue}) as [worker]:
        yield worker


@contextmanager
def running_workers(broker: Broker, log_dir: Path, *specs: dict) -> Iterator[list[Worker]]:
    """Several workers, one per spec (`running_worker`'s keywords), started side by side and ready
    together: each takes seconds to start on a busy machine."""
    workers: list[Worker] = []
    try:
        for spec in specs:
            workers.append(_start_worker(broker, log_dir, **spec))
        for worker in workers:
            _wait_for(partial(_started, worker), WORKER_START_TIMEOUT)
            if worker.process.poll() is not None:
                pytest.fail(f"The worker exited at start:\n{worker.log_text()}")
        yield workers
    finally:
        for worker in workers:
            worker.process.terminate()
        for worker in workers:
            try:
                worker.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.process.kill()
                worker.process.wait()


def _started(worker: Worker) -> bool:
    return " ready." in worker.log_text() or worker.process.poll() is not None


def _start_worker(
    broker: Broker, log_dir: Path, *, concurrency: int = 1, env: dict[str, str] | None = None, queue: str | None = None
) -> Worker:
    name = f"itest-{uuid.uuid4().hex[:8]}"
    queue = queue or name
    worker = Worker(hostname=f"{name}@localhost", queue=queue, log=log_dir / f"{name}.log")
    env = {
        **os.environ,
        **broker.env,
        "DJANGO_SETTINGS_MODULE": "enablement.settings",
        "DATABASE_URL": test_database_url(),
        "CELERY_DEFAULT_QUEUE": queue,
        "CELERY_WEBHOOK_QUEUE": queue,
        # Celery's Django fix-up runs the system checks as each worker starts; `make lint` and the settings tests
        # run them, and a run starts some twenty workers.
        "CELERY_SKIP_CHECKS": "1",
        **(env or {}),
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "enablement",
        "worker",
        "--loglevel=INFO",
        "--pool=prefork",
        f"--concurrency={concurrency}",
        "--hostname",
        worker.hostname,
        "--queues",
        worker.queue,
        "--include",
        "tests.integration.worker_tasks",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
    ]
    with worker.log.open("w") as log:
        worker.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    return worker


def _wait_for(condition, timeout: float, interval: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(interval)
    return False


@pytest.fixture
def wait_for():
    return _wait_for


@pytest.fixture
def smtp():
    """A real SMTP server on a free loopback port; pass `smtp.worker_env` to the worker."""
    with smtp_server() as server:
        yield server
