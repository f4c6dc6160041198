"""The demo copy the suite loads instead of seeding the demo again (tests/demo_data.py)."""

import dataclasses
import datetime
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.management.color import no_style
from django.db import connection

from enablement.models import Person, Team
from enablement.org.demo import demo_steps
from tests import demo_data as demo_copy
from tests.enablement.factories import TeamFactory

pytestmark = pytest.mark.django_db


def _contents(tables) -> dict:
    """Each table's rows, in no particular order (PostgreSQL's COPY lines or SQLite's tuples)."""
    return {
        table.name: sorted(table.rows.split(b"\n")) if isinstance(table.rows, bytes) else sorted(map(repr, table.rows))
        for table in tables
    }


@pytest.fixture
def team_ids_from_one():
    """Team's sequence back at its start, as in a database that never saw the demo. A PostgreSQL sequence outlives
    the test's rollback, so it is put back after the test (SQLite's is rolled back with the rest)."""
    table = Team._meta.db_table
    with connection.cursor() as cursor:
        saved = None
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_sequence_last_value(pg_get_serial_sequence(%s, 'id')::regclass)", [table])
            saved = cursor.fetchone()[0]
        for statement in connection.ops.sequence_reset_by_name_sql(no_style(), [{"table": table, "column": "id"}]):
            cursor.execute(statement)
    yield
    if saved is not None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, saved])


def test_a_loaded_copy_is_the_seeded_demo_in_place_of_what_was_there(demo_data):
    seeded_tables = demo_copy._copy[1]  # noqa: SLF001 (what the run's seed left, read before its rollback)
    assert _contents(demo_copy.read_tables()) == _contents(seeded_tables)
    assert Person.objects.filter(user__username="cso").exists()
    assert "Demo org ready" in demo_data.output
    assert set(demo_data.step_lines) == {step.name for step in demo_steps()}

    TeamFactory(name="Not in the demo")
    demo_copy.load_demo()  # into a database that holds more than the demo

    assert _contents(demo_copy.read_tables()) == _contents(seeded_tables)
    assert not Team.objects.filter(name="Not in the demo").exists()


def test_new_rows_after_a_copy_take_new_ids(team_ids_from_one):
    demo_copy.load_demo()
    highest = Team.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert TeamFactory().pk > highest


def test_a_copy_moves_no_sequence_back(demo_data):
    """As in a worker whose rows were flushed and written again under higher ids: after the copy is rolled back
    those rows return, and the ids after them must still be free."""
    taken = max(TeamFactory().pk for _ in range(40))
    demo_copy.load_demo()
    assert TeamFactory().pk > taken


def test_a_copy_from_another_day_is_not_loaded(demo_data, monkeypatch):
    """The demo's dates are relative to its day (due tasks, overdue requests): a run that crosses midnight seeds the
    demo again rather than load one whose "today" was yesterday."""
    yesterday = demo_data.seeded_on - datetime.timedelta(days=1)
    stale = dataclasses.replace(demo_data, seeded_on=yesterday, output="stale")
    monkeypatch.setattr(demo_copy, "_copy", (stale, demo_copy._copy[1]))  # noqa: SLF001

    assert demo_copy.load_demo().seeded_on == demo_data.seeded_on


def test_workers_asking_at_once_seed_the_demo_once(tmp_path, monkeypatch):
    """Under xdist the workers that start on the demo together wait for the first one's seed and read its copy."""
    monkeypatch.setenv("ENABLEMENT_TEST_DEMO_DIR", str(tmp_path))
    day = datetime.date(2026, 12, 8)
    seeds = []

    def slow_seed():
        seeds.append(threading.get_ident())
        time.sleep(0.3)  # long enough for the other worker to ask meanwhile
        return demo_copy.Demo(output=f"seed {len(seeds)}", step_lines={}, seeded_on=day), []

    with ThreadPoolExecutor(max_workers=3) as workers:
        copies = list(workers.map(lambda _: demo_copy.shared_copy(day, seed=slow_seed), range(3)))

    assert len(seeds) == 1
    assert [demo.output for demo, _tables in copies] == ["seed 1"] * 3
