"""The demo data (`manage.py seed_demo`), built once per test run and copied in wherever a test needs it.

`seed_demo` builds the demo org through the services: about 9,000 queries and 10 s of CPU. A dozen modules read
the demo (its own tests, the API walks, the browser walks), on both CI legs. The first of them in a run seeds it
in a savepoint, keeps a copy of every table and rolls the savepoint back; every one of them, that first one
included, then loads the copy into its transaction: a delete and a bulk insert per table, about 50 ms. The copy
is the whole database, so a module sees what a seed in its place would have left, whatever the tests before it
did (a live-server test flushes every table and `post_migrate` writes the content types again under new ids),
except what a seed's commit would have set off (reminder deliveries): a copy never commits a seed.

Under pytest-xdist the copy is shared by the run's workers through a file in a folder the controller makes for
the run and removes at its end (their databases are clones of one template, so the same tables). One worker
seeds: the others, asking while it does (the browser tests, which run first, usually do), wait on a lock of the
file and read its copy, instead of each seeding the same demo again (10 s of CPU each).

What a copy is: every table's rows, read back as the database stores them (PostgreSQL's `COPY` text, SQLite's
plain values), the command's output and each step's lines. Loading it deletes every row of the test's database
first: load the demo before the test builds anything of its own.
"""

# ruff: noqa: S608 -- every name in the SQL below comes from the database's own catalogue, quoted
import contextlib
import datetime
import fcntl
import io
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from unittest.mock import patch

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from enablement.org import demo as org_demo
from tests.databases import is_controller_of_workers

_SKIPPED_TABLES = {"django_migrations"}


@dataclass(frozen=True)
class Demo:
    output: str  # what `manage.py seed_demo` printed: the sign-ins, then each step's lines
    step_lines: dict[str, tuple[str, ...]]  # each registered step's lines, by its name
    seeded_on: datetime.date


@dataclass(frozen=True)
class _Table:
    name: str
    columns: tuple[str, ...]
    rows: bytes | list[tuple]  # COPY text on PostgreSQL, value tuples elsewhere


_copy: tuple[Demo, list[_Table]] | None = None


@pytest.fixture(scope="module")
def demo(module_db) -> Iterator[Demo]:
    """The demo data for every test of the module, undone after its last test."""
    yield load_demo()
    ContentType.objects.clear_cache()  # the ids it cached were the demo's


@pytest.fixture
def demo_data(db) -> Iterator[Demo]:
    """The demo data for one test: request it before any fixture that writes rows, since it replaces them all."""
    yield load_demo()
    ContentType.objects.clear_cache()


@transaction.atomic
def load_demo() -> Demo:
    """The demo in the test's database, seeded the first time in this run and copied in after that. Either way
    it arrives the same way, as a copy: a seed's commit callbacks (reminder deliveries) never run."""
    global _copy
    today = timezone.localdate()  # the demo's dates are relative to its day: a run past midnight seeds again
    if _copy is None or _copy[0].seeded_on != today:
        _copy = shared_copy(today, seed=_seeded)
    demo, tables = _copy
    _write_tables(tables)
    return demo


def _seeded() -> tuple[Demo, list[_Table]]:
    """`manage.py seed_demo` in a savepoint that is rolled back once every table is read."""
    out, step_lines = io.StringIO(), {}

    def recorded(step: org_demo.DemoStep) -> org_demo.DemoStep:
        def run():
            step_lines[step.name] = tuple(step.run() or ())
            return step_lines[step.name]

        return org_demo.DemoStep(step.name, run)

    with transaction.atomic(), patch.object(org_demo, "_steps", [recorded(step) for step in org_demo.demo_steps()]):
        call_command("seed_demo", stdout=out)
        tables = read_tables()
        transaction.set_rollback(True)
    return Demo(output=out.getvalue(), step_lines=step_lines, seeded_on=timezone.localdate()), tables


_SHARED_FOLDER = "ENABLEMENT_TEST_DEMO_DIR"  # set by the xdist controller, inherited by its workers


def _shared_file(day: datetime.date) -> Path | None:
    folder = os.environ.get(_SHARED_FOLDER)
    return Path(folder) / f"demo-{day.isoformat()}.pickle" if folder else None


def shared_copy(day: datetime.date, seed: Callable[[], tuple[Demo, list[_Table]]]) -> tuple[Demo, list[_Table]]:
    """The run's copy of `day`: read from the shared file, or seeded by the first worker to ask, while the others
    asking at the same time wait for it."""
    with _shared_lock(day):
        copy = _read_shared(day)
        if copy is None:
            copy = seed()
            _write_shared(copy)
    return copy


@contextlib.contextmanager
def _shared_lock(day: datetime.date) -> Iterator[None]:
    """Held while a worker reads or seeds the day's copy: the first to take it seeds, the rest then read."""
    path = _shared_file(day)
    if path is None:
        yield
        return
    with path.with_suffix(".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, or the process ends
        yield


def _read_shared(day: datetime.date) -> tuple[Demo, list[_Table]] | None:
    path = _shared_file(day)
    if path is None or not path.exists():
        return None
    return pickle.loads(path.read_bytes())  # noqa: S301 (written by this run's own workers, just now)


def _write_shared(copy: tuple[Demo, list[_Table]]) -> None:
    path = _shared_file(copy[0].seeded_on)
    if path is None:
        return
    written = path.with_suffix(f".{os.getpid()}")
    written.write_bytes(pickle.dumps(copy, protocol=pickle.HIGHEST_PROTOCOL))
    written.replace(path)  # whole or not at all for a worker reading it


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Before xdist starts the workers, which inherit the controller's environment."""
    if is_controller_of_workers(session.config):
        os.environ[_SHARED_FOLDER] = tempfile.mkdtemp(prefix="enablement-test-demo-")


def pytest_sessionfinish(session: pytest.Session) -> None:
    if is_controller_of_workers(session.config) and _SHARED_FOLDER in os.environ:
        shutil.rmtree(os.environ.pop(_SHARED_FOLDER), ignore_errors=True)


def _table_names() -> list[str]:
    return sorted(set(connection.introspection.table_names()) - _SKIPPED_TABLES)


def _columns(cursor, table: str) -> tuple[str, ...]:
    return tuple(column.name for column in connection.introspection.get_table_description(cursor, table))


def read_tables() -> list[_Table]:
    tables = []
    with connection.cursor() as cursor:
        for name in _table_names():
            columns = _columns(cursor, name)
            listed = ", ".join(connection.ops.quote_name(column) for column in columns)
            quoted = connection.ops.quote_name(name)
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY {quoted} ({listed}) TO STDOUT") as copy:
                    rows = b"".join(bytes(block) for block in copy)
            else:
                # `+column` is the stored value itself, with no declared type for Django's converters to parse.
                stored = ", ".join("+" + connection.ops.quote_name(column) for column in columns)
                cursor.execute(f"SELECT {stored} FROM {quoted}")
                rows = cursor.fetchall()
            tables.append(_Table(name, columns, rows))
    return tables


def _write_tables(tables: list[_Table]) -> None:
    """Every table emptied, then filled from the copy. Foreign keys are checked at commit (Django declares them
    deferrable on both databases), so the order of the tables does not matter."""
    with connection.cursor() as cursor:
        for table in tables:  # the copy lists every table, empty ones too
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(table.name)}")
        for table in tables:
            if not table.rows:
                continue
            quoted = connection.ops.quote_name(table.name)
            listed = ", ".join(connection.ops.quote_name(column) for column in table.columns)
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY {quoted} ({listed}) FROM STDIN") as copy:
                    copy.write(table.rows)
            else:
                placeholders = ", ".join(["%s"] * len(table.columns))
                cursor.executemany(f"INSERT INTO {quoted} ({listed}) VALUES ({placeholders})", table.rows)
        if connection.vendor == "postgresql":  # SQLite moves its sequences past inserted ids on its own
            _sequences_past_copied_ids(cursor, {table.name for table in tables if table.rows})
    ContentType.objects.clear_cache()  # its ids are the copy's now


def _sequences_past_copied_ids(cursor, filled: set[str]) -> None:
    """Each sequence of a filled table moved past the highest id copied in, and never back: a sequence change
    outlives the rollback that removes the copy, and the rows it brings back (a flushed database's, written again
    under higher ids) keep theirs. One catalogue query, then one statement."""
    cursor.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()"
        " AND (is_identity = 'YES' OR column_default LIKE 'nextval(%%')"
    )
    moves, params = [], []
    for table, column in cursor.fetchall():
        if table not in filled:
            continue
        quoted = connection.ops.quote_name(table)
        moves.append(
            f"SELECT setval(seq, highest) FROM (SELECT pg_get_serial_sequence(%s, %s)::regclass AS seq,"
            f" MAX({connection.ops.quote_name(column)}) AS highest FROM {quoted}) AS copied"
            " WHERE highest > COALESCE(pg_sequence_last_value(seq), 0)"
        )
        params += [quoted, column]
    if moves:
        cursor.execute(" UNION ALL ".join(moves), params)
