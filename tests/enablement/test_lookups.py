"""`field__any=ids` (enablement/models/lookups.py) selects what `field__in=ids` does, on a plain field, a primary key
and a foreign key, with an empty list too; on PostgreSQL as one array parameter (CI runs this on both databases)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enablement.models import Person
from tests.enablement.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    boss = PersonFactory()
    return [boss, *(PersonFactory(manager=boss if i % 2 else None) for i in range(6))]


@pytest.mark.parametrize("field", ["pk", "manager_id", "manager", "last_name"])
def test_any_selects_what_in_selects(people, field):
    values = [getattr(person, "pk" if field == "manager" else field) for person in people[::2]]
    expected = set(Person.objects.filter(**{f"{field}__in": values}).values_list("pk", flat=True))
    assert expected
    assert set(Person.objects.filter(**{f"{field}__any": values}).values_list("pk", flat=True)) == expected


def test_nothing_among_no_ids(people):
    assert not Person.objects.filter(pk__any=[]).exists()
    assert Person.objects.exclude(pk__any=[]).count() == len(people)


def test_one_parameter_on_postgresql_one_per_value_elsewhere(people):
    ids = [person.pk for person in people]
    with CaptureQueriesContext(connection) as queries:
        assert Person.objects.filter(pk__any=ids).count() == len(ids)
    sql = queries[0]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql
    else:
        assert " IN (" in sql
