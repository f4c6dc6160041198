"""The demo copy the suite loads instead of seeding the demo again (tests/demo_data.py)."""

import pytest
from django.core.management.color import no_style
from django.db import connection

from enablement.models import Person, Team
from tests.demo_data import _read_tables, load_demo
from tests.enablement.factories import TeamFactory

pytestmark = pytest.mark.django_db


def _contents(tables) -> dict:
    """Each table's rows, in no particular order (PostgreSQL's COPY lines or SQLite's tuples)."""
    return {
        table.name: sorted(table.rows.split(b"\n")) if isinstance(table.rows, bytes) else sorted(map(repr, table.rows))
        for table in tables
    }


def test_a_loaded_copy_is_the_seeded_demo_in_place_of_what_was_there():
    demo = load_demo()  # seeded, or copied if a module before this one in the run seeded it
    seeded = _contents(_read_tables())
    TeamFactory(name="Not in the demo")

    again = load_demo()  # a copy, into a database that holds more than the demo

    assert again.output == demo.output and "Demo org ready" in demo.output
    assert _contents(_read_tables()) == seeded
    assert not Team.objects.filter(name="Not in the demo").exists()
    assert Person.objects.filter(user__username="cso").exists()


def test_new_rows_after_a_copy_take_new_ids():
    """As in a worker whose database never saw the demo: its sequences start from 1."""
    load_demo()
    sequences = connection.introspection.sequence_list()
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_by_name_sql(no_style(), sequences):
            cursor.execute(statement)
    load_demo()
    highest = Team.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert TeamFactory().pk > highest


def test_a_copy_moves_no_sequence_back():
    """As in a worker whose rows were flushed and written again under higher ids: after the copy is rolled back
    those rows return, and the ids after them must still be free."""
    load_demo()
    taken = max(TeamFactory().pk for _ in range(40))
    load_demo()
    assert TeamFactory().pk > taken
