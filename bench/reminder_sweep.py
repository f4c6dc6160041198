"""How a reminder sweep scales: N people with logins each asked to acknowledge a published charter, 5%
of them overdue (past both CHARTER_ACK_REMIND_AFTER_DAYS and CHARTER_ACK_ESCALATE_AFTER_DAYS), in a
throwaway test database. For each N it times the acknowledgement sweep, the same sweep again (every
reminder already exists, so it creates nothing) and the escalation sweep, and prints their query counts.

Coaching tasks do not exist yet; the charter kind runs the same machinery (`reminders_sweep`).

    .venv/bin/python bench/reminder_sweep.py                        # SQLite, N = 10,000 and 100,000
    .venv/bin/python bench/reminder_sweep.py 1000 50000             # other sizes
    make bench-reminders BENCH_SIZES="1000 50000"                   # the same through make
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/reminder_sweep.py
"""

import datetime
import logging
import os
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "enablement.settings_test")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.harness import sizes_from_command_line  # noqa: E402
from enablement.accounts import roles  # noqa: E402
from enablement.models import Person, Reminder  # noqa: E402
from enablement.notifications.registry import get_kind  # noqa: E402
from enablement.notifications.services import reminders_sweep  # noqa: E402
from managers.models import Acknowledgement  # noqa: E402
from managers.reminders import ACK_ESCALATION, ACK_PENDING  # noqa: E402
from managers.services.charters import charter_publish  # noqa: E402
from tests.managers.factories import RoleFactory, publishable_draft  # noqa: E402

SIZES = (10_000, 100_000)
DUE_EVERY = 20  # one person in 20 is overdue: 5%
TEAM_SIZE = 20  # people per manager, who receives the escalations
BATCH = 5_000


def _bench_database_name() -> str:
    """Never the suite's test database: the benchmark may run while the tests do."""
    if connection.vendor == "sqlite":
        return str(settings.VAR_DIR / "bench-reminders.sqlite3")
    return "bench_reminders"


def build(size: int) -> int:
    """Creates `size` people with logins and pending acknowledgements; returns how many are overdue."""
    now = timezone.now()
    overdue_at = now - datetime.timedelta(
        days=max(settings.CHARTER_ACK_REMIND_AFTER_DAYS, settings.CHARTER_ACK_ESCALATE_AFTER_DAYS) + 1
    )
    password = make_password("bench")  # hashed once, shared by every login
    User = get_user_model()
    leader = User.objects.create(username="bench-leader", password=password)
    leader.groups.add(Group.objects.get(name=roles.SALES_LEADER))  # only sales leaders publish charters
    version = charter_publish(version=publishable_draft(role=RoleFactory(code="bench"), number=1), by=leader)
    # Escalations go to managers with an active login (a reminder nobody can open is not sent).
    manager_users = User.objects.bulk_create(
        [User(username=f"bench-manager{i}", password=password) for i in range(max(size // TEAM_SIZE, 1))],
        batch_size=BATCH,
    )
    managers = Person.objects.bulk_create(
        [
            Person(
                external_id=f"M-{i}", first_name="Manager", last_name=str(i), email=f"manager{i}@example.com", user=user
            )
            for i, user in enumerate(manager_users)
        ],
        batch_size=BATCH,
    )
    users = User.objects.bulk_create(
        [User(username=f"bench{i}", password=password) for i in range(size)], batch_size=BATCH
    )
    people = Person.objects.bulk_create(
        [
            Person(
                external_id=f"P-{i}",
                first_name="Holder",
                last_name=str(i),
                email=f"holder{i}@example.com",
                user=user,
                manager=managers[i % len(managers)],
            )
            for i, user in enumerate(users)
        ],
        batch_size=BATCH,
    )
    Acknowledgement.objects.bulk_create(
        [
            Acknowledgement(person=person, version=version, requested_at=overdue_at if i % DUE_EVERY == 0 else now)
            for i, person in enumerate(people)
        ],
        batch_size=BATCH,
    )
    return len(range(0, size, DUE_EVERY))


def sweep(kind_name: str) -> tuple[int, int, float]:
    """Runs one sweep; returns the reminders it created, its query count and its time in seconds."""
    kind = get_kind(kind_name)
    if connection.vendor == "postgresql":
        # What autovacuum does after a bulk load; without fresh statistics the planner picks a nested loop.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    before = Reminder.objects.filter(kind=kind_name).count()
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        reminders_sweep(kind=kind)
        seconds = time.perf_counter() - started
    return Reminder.objects.filter(kind=kind_name).count() - before, len(captured), seconds


def main(sizes: tuple[int, ...]) -> None:
    logging.getLogger("enablement.notifications").setLevel(logging.WARNING)  # one line per sweep clutters the table
    connection.settings_dict.setdefault("TEST", {})["NAME"] = _bench_database_name()
    test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"database: {connection.vendor} ({test_db}); {100 // DUE_EVERY}% overdue")
        print(f"{'N':>8}  {'sweep':<22} {'due':>6} {'created':>7} {'queries':>7} {'seconds':>8}")
        for size in sizes:
            call_command("flush", interactive=False, verbosity=0)
            ContentType.objects.clear_cache()  # a flush gives the content types new ids
            started = time.perf_counter()
            due = build(size)
            print(f"{size:>8}  {'(build)':<22} {'':>6} {'':>7} {'':>7} {time.perf_counter() - started:>8.2f}")
            for label, kind_name in (
                ("acknowledgement", ACK_PENDING),
                ("acknowledgement again", ACK_PENDING),
                ("escalation", ACK_ESCALATION),
            ):
                created, queries, seconds = sweep(kind_name)
                print(f"{size:>8}  {label:<22} {due:>6} {created:>7} {queries:>7} {seconds:>8.2f}")
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0)


if __name__ == "__main__":
    main(sizes_from_command_line(__doc__, default=SIZES)[0])
