"""The embedded broker's transport (enablement/broker.py) on a folder of its own, without workers: atomic
writes, one claim per message, damaged files moved aside. tests/integration/test_broker.py runs it
under real producer and worker processes."""

import json
import logging
import os
import threading
import time
import uuid
from pathlib import Path
from queue import Empty

import pytest
from django.conf import settings
from kombu import Connection

from enablement import broker as broker_module
from enablement.broker import Transport
from enablement.celery import app


@pytest.fixture
def folder(tmp_path) -> Path:
    for name in ("queue", "control"):
        (tmp_path / name).mkdir()
    return tmp_path


def _connection(folder: Path) -> Connection:
    queue = str(folder / "queue")
    options = {"data_folder_in": queue, "data_folder_out": queue, "control_folder": str(folder / "control")}
    return Connection("filesystem://localhost//", transport="enablement.broker:Transport", transport_options=options)


def _files(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


def _drop(folder: Path, queue: str, content: bytes, *, age_ms: int = 1000) -> str:
    """A file under the name a producer gives a message, older than anything sent after it."""
    name = f"{int(round(time.monotonic() * 1000)) - age_ms}_{uuid.uuid4()}.{queue}.msg"
    (folder / "queue" / name).write_bytes(content)
    return name


def test_transport_round_trips_messages_in_order_and_leaves_nothing_behind(folder):
    with _connection(folder) as conn:
        queue = conn.SimpleQueue("jobs")
        for number in range(20):  # several within one millisecond
            queue.put({"number": number})
        received = []
        for _ in range(20):
            message = queue.get(timeout=1)
            received.append(message.payload["number"])
            message.ack()
        queue.close()

    assert received == list(range(20))
    assert [name for name in _files(folder / "queue") if "jobs" in name] == []
    assert _files(folder / "claimed") == []


def test_put_renames_a_complete_file_into_the_queue(folder, monkeypatch):
    # Given a rename that looks at the queue folder at the moment the message appears in it
    seen = []
    real_replace = os.replace

    def watching_replace(source, target):
        seen.append((Path(source).name, json.loads(Path(source).read_bytes()), _files(folder / "queue")))
        real_replace(source, target)

    monkeypatch.setattr(broker_module.os, "replace", watching_replace)
    # When a message is sent
    with _connection(folder) as conn:
        conn.default_channel._put("jobs", {"body": "x" * 100_000, "properties": {}})

    # Then it was whole under a hidden name that no reader takes, and its real name did not exist yet
    [(temporary, payload, listed)] = seen
    assert temporary.startswith(".") and temporary.endswith(".jobs.msg.part")
    assert payload["body"] == "x" * 100_000
    assert listed == [temporary]
    [final] = _files(folder / "queue")
    assert final == temporary[1 : -len(".part")]


DAMAGED = {
    "empty (caught while being written)": b"",
    "truncated JSON": b'{"body": "eyJhcmdzIjogWzFd", "content-encoding": "utf-',
    "not UTF-8": b"\x00\xff\xfe garbage",
    "JSON that is not a message": b"[1, 2, 3]",
    "a body that is not base64": json.dumps(
        {"body": "abc", "properties": {"delivery_tag": "t", "body_encoding": "base64"}}
    ).encode(),
}


@pytest.mark.parametrize("content", DAMAGED.values(), ids=DAMAGED.keys())
def test_get_moves_an_unreadable_file_aside_and_returns_the_next_message(folder, content, caplog):
    with _connection(folder) as conn:
        channel = conn.default_channel
        # Given a damaged file at the head of the queue, and a good message after it
        damaged = _drop(folder, "jobs", content)
        channel._put("jobs", {"body": "", "properties": {"delivery_tag": "good"}})

        # When a worker takes the next message
        with caplog.at_level(logging.WARNING, logger="enablement.broker"):
            payload = channel._get("jobs")
        # And the next after that
        with pytest.raises(Empty):
            channel._get("jobs")

    # Then it gets the good one, and the damaged file is set aside as it was, with a warning
    assert payload["properties"]["delivery_tag"] == "good"
    assert _files(folder / "corrupt") == [damaged]
    assert (folder / "corrupt" / damaged).read_bytes() == content
    [record] = caplog.records
    assert record.levelno == logging.WARNING
    assert record.getMessage().startswith(
        f"broker message unreadable, moved aside: queue=jobs file={folder / 'corrupt' / damaged} size={len(content)}"
    )


def test_get_skips_a_message_another_worker_claimed_first(folder, monkeypatch):
    # Given two messages, and another worker that claims the first just before this one tries
    with _connection(folder) as conn:
        channel = conn.default_channel
        channel._put("jobs", {"body": "", "properties": {"delivery_tag": "first"}})
        time.sleep(0.002)
        channel._put("jobs", {"body": "", "properties": {"delivery_tag": "second"}})
        real_rename = os.rename
        other_worker = folder / "other-worker"
        other_worker.mkdir()
        raced = []

        def racing_rename(source, target):
            if not raced:
                raced.append(Path(source).name)
                real_rename(source, other_worker / Path(source).name)
            real_rename(source, target)

        monkeypatch.setattr(broker_module.os, "rename", racing_rename)
        # When this worker takes the next message
        payload = channel._get("jobs")

    # Then it gets the second: the first belongs to the other worker alone
    assert payload["properties"]["delivery_tag"] == "second"
    assert _files(other_worker) == raced


def test_two_consumers_racing_take_each_message_once(folder):
    # Given 400 messages on one queue
    with _connection(folder) as producer:
        for number in range(400):
            producer.default_channel._put("jobs", {"body": "", "properties": {"delivery_tag": str(number)}})
    taken: list[list[str]] = [[], []]

    def consume(into: list[str]) -> None:
        with _connection(folder) as conn:
            while True:
                try:
                    into.append(conn.default_channel._get("jobs")["properties"]["delivery_tag"])
                except Empty:
                    return

    # When two consumers, each with a connection of its own, drain it at once
    threads = [threading.Thread(target=consume, args=(into,)) for into in taken]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # Then each message was taken exactly once
    assert sorted(taken[0] + taken[1], key=int) == [str(number) for number in range(400)]


def test_the_embedded_broker_uses_this_transport():
    if not settings.CELERY_BROKER_URL.startswith("filesystem://"):
        pytest.skip("Redis is the broker in this run.")
    assert settings.CELERY_BROKER_TRANSPORT == "enablement.broker:Transport"
    with app.connection_for_write() as conn:
        assert isinstance(conn.transport, Transport)
