"""What an HR sync costs: N people (a chief sales officer, a few directors, frontline managers holding one
of four manager roles, each leading a team of nine sellers) upserted through `POST /api/v1/people/bulk/`
in batches of 1,000, against the fastest direct way to reach the same people and roles with the ORM.
All in a throwaway test database.

The rows go out top-down (everyone after their manager: the officer, the directors, then each manager
followed by their sellers), so a manager is always stored or in the same batch; within a batch the rows
are shuffled, so about half the people come before their manager. The app is served on a real socket in this
process (Django's threaded WSGI server, a connection per request as in production) and called with an
API client's bearer token; every answer must be a 200 with no row refused.

For each N it prints:
- HTTP s, per 1,000 ms: the first sync (every row created);
- ORM s: on an emptied database, `bulk_create(update_conflicts=True)` per batch of 1,000, a second upsert
  for the rows whose manager is in the same batch, and the managers' `RoleAssignment`s: no checks, no
  audit trail (the API also writes a `CharterEvent` per role assigned); the end state is checked to be
  the same people, teams, managers and roles as the HTTP sync's;
- re-send s: the same N rows again (every row must be `unchanged` and no `updated_at` move);
- 10% batch s: one batch of 1,000 in which 100 titles changed (median of 3);
- queries of one 1,000-row request (on the server side, through the test client): new rows, the same
  rows unchanged, and 10% changed.

    .venv/bin/python bench/people_sync.py                           # SQLite, N = 10,000
    .venv/bin/python bench/people_sync.py 2000 20000                # other sizes
    .venv/bin/python bench/people_sync.py --profile                 # and where a 1,000-row create goes
    make bench                                                      # with the other benchmarks
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/people_sync.py
"""

import cProfile
import datetime
import io
import json
import os
import pstats
import random
import statistics
import sys
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "enablement.settings_test")
django.setup()

import requests  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.serializers.json import DjangoJSONEncoder  # noqa: E402
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.harness import analyze, empty_database, sizes_from_command_line, throwaway_database  # noqa: E402
from enablement.api.clients.services import api_client_create  # noqa: E402
from enablement.models import Person, Team  # noqa: E402
from managers.models import Role, RoleAssignment  # noqa: E402

SIZES = (10_000,)
BATCH = settings.PEOPLE_BULK_MAX_ROWS  # 1,000: what one request may carry
PEOPLE_PER_MANAGER = 10  # the manager and nine sellers
MANAGERS_PER_DIRECTOR = 100
CHANGED_RUNS = 3
ROLE_CODES = ("fsm-enterprise", "fsm-mid-market", "fsm-smb", "fsm-inside-sales")
FIRST_NAMES = ("Ada", "Ravi", "Dana", "Mei", "Tomás", "Grace", "Olu", "Ines", "Jonas", "Priya", "Sam", "Yuki")
LAST_NAMES = ("Okafor", "Shah", "Lindqvist", "Moreau", "Chen", "Nakamura", "Silva", "Kowalski", "Byrne", "Haddad")
SELLER_TITLES = ("Account Executive", "Senior Account Executive", "Sales Development Representative")
# What the ORM baseline writes on a conflict: every field a row carries (manager in a second pass when the
# manager is in the same batch).
UPSERT_FIELDS = ["first_name", "last_name", "email", "title", "team", "manager", "start_date", "updated_at"]
PROFILE_LINES = 25


class QuietRequestHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def ascii_email(address: str) -> str:
    """Accents dropped: the API, like most mail systems, takes only ASCII addresses."""
    return unicodedata.normalize("NFKD", address).encode("ascii", "ignore").decode().lower()


def _shape(size: int) -> tuple[int, int, int]:
    managers = max(size // PEOPLE_PER_MANAGER, 1)
    directors = max(managers // MANAGERS_PER_DIRECTOR, 1)
    return directors, managers, max(size - 1 - directors - managers, 0)


def org_rows(size: int, prefix: str = "E") -> list[dict]:
    """The rows of an org of `size`, top-down: the officer, the directors, then each manager followed by
    their sellers. Teams are referenced by external id (`reference_data` creates them)."""
    rng = random.Random(f"{prefix}{size}")
    directors_count, managers_count, sellers_count = _shape(size)
    rows: list[dict] = []

    def add(title: str, team: str, manager: str | None, **extra) -> str:
        number = len(rows)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        external_id = f"{prefix}-{number:06d}"
        rows.append(
            {
                "external_id": external_id,
                "first_name": first,
                "last_name": last,
                "email": ascii_email(f"{first}.{last}.{prefix}{number}@example.com"),
                "title": title,
                "team": team,
                "manager": manager,
                "start_date": datetime.date(2012, 1, 1) + datetime.timedelta(days=rng.randrange(5000)),
                **extra,
            }
        )
        return external_id

    officer = add("Chief Sales Officer", "T-sales", None)
    directors = [add("Sales Director", f"T-seg-{index}", officer) for index in range(directors_count)]
    team_sizes = Counter(index * managers_count // max(sellers_count, 1) for index in range(sellers_count))
    for index in range(managers_count):
        director = directors[index * directors_count // managers_count]
        manager = add("Frontline Sales Manager", f"T-team-{index}", director, role=ROLE_CODES[index % len(ROLE_CODES)])
        for _seller in range(team_sizes[index]):
            add(rng.choice(SELLER_TITLES), f"T-team-{index}", manager)
    return rows


def batches(rows: list[dict], seed: int) -> list[list[dict]]:
    """Batches of BATCH rows in order, each shuffled."""
    rng = random.Random(seed)
    chunks = [rows[start : start + BATCH] for start in range(0, len(rows), BATCH)]
    return [rng.sample(chunk, len(chunk)) for chunk in chunks]


def reference_data(size: int) -> tuple[dict[str, int], dict[str, int]]:
    """The teams and the four manager roles the rows name (for an org of `size`, and at least of BATCH, for
    the extra batches); returns their ids by external id and by code."""
    directors_count, managers_count, _sellers = _shape(max(size, BATCH))
    (sales,) = Team.objects.bulk_create([Team(name="Sales", external_id="T-sales")])
    segments = Team.objects.bulk_create(
        Team(name=f"Segment {index}", external_id=f"T-seg-{index}", parent=sales) for index in range(directors_count)
    )
    teams = Team.objects.bulk_create(
        Team(
            name=f"Team {index}",
            external_id=f"T-team-{index}",
            parent=segments[index * directors_count // managers_count],
        )
        for index in range(managers_count)
    )
    roles = [Role.objects.create(code=code, name=code.replace("-", " ").title()) for code in ROLE_CODES]
    return (
        {team.external_id: team.pk for team in [sales, *segments, *teams]},
        {role.code: role.pk for role in roles},
    )


def body(rows: list[dict]) -> bytes:
    return json.dumps({"dry_run": False, "people": rows}, cls=DjangoJSONEncoder).encode()


@contextmanager
def live_server() -> Iterator[str]:
    """The whole app on a real socket, in a thread of this process; yields its base URL. Each request runs
    in a thread of its own with its own connection to the throwaway database, closed when it ends."""
    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietRequestHandler, allow_reuse_address=False)
    server.set_app(get_wsgi_application())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def checked(status_code: int, answer: dict, expected: dict[str, int]) -> dict:
    assert status_code == 200, (status_code, answer)
    refused = [result for result in answer["results"] if result["status"] == "error"]
    assert not refused, (len(refused), refused[:3])
    assert all(answer["summary"][status] == count for status, count in expected.items()), answer["summary"]
    return answer


def post_all(session: requests.Session, url: str, bodies: list[tuple[bytes, dict[str, int]]]) -> float:
    """Posts every body in turn and checks each answer against its expected summary; returns the seconds."""
    started = time.perf_counter()
    for data, expected in bodies:
        response = session.post(url, data=data, headers={"Content-Type": "application/json"}, timeout=300)
        checked(response.status_code, response.json(), expected)
    return time.perf_counter() - started


def with_changed_titles(batch: list[dict], run: int) -> list[dict]:
    """The batch with every tenth row's title changed (to a new title on each run)."""
    return [
        {**row, "title": f"{row['title']} (rev {run})"} if index % 10 == 0 else row for index, row in enumerate(batch)
    ]


def changed_count(batch: list[dict]) -> int:
    return len(batch[::10])


def end_state() -> set[tuple]:
    """Every person as the sync leaves them, by external ids: what both ways must agree on."""
    roles = dict(RoleAssignment.objects.filter(ended_on__isnull=True).values_list("person__external_id", "role__code"))
    people = Person.objects.values_list(
        "external_id",
        "first_name",
        "last_name",
        "email",
        "title",
        "team__external_id",
        "manager__external_id",
        "employment_status",
        "start_date",
        "end_date",
    )
    return {(*person, roles.get(person[0])) for person in people}


def http_phase(base_url: str, token: str, sync_batches: list[list[dict]]) -> tuple[float, float, float, set]:
    """The first sync, the unchanged re-send and the 10%-changed batch, over HTTP; returns their seconds
    (the last a median) and the end state of the first sync."""
    url = base_url + reverse("person-bulk")
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {token}"
        first = post_all(session, url, [(body(batch), {"created": len(batch)}) for batch in sync_batches])
        state = end_state()
        analyze()  # what autovacuum does after the load, before the next sync
        stamps = dict(Person.objects.values_list("pk", "updated_at"))
        again = post_all(session, url, [(body(batch), {"unchanged": len(batch)}) for batch in sync_batches])
        assert dict(Person.objects.values_list("pk", "updated_at")) == stamps, "an unchanged row was written"
        middle = sync_batches[len(sync_batches) // 2]
        changed = [
            post_all(session, url, [(body(with_changed_titles(middle, run)), {"updated": changed_count(middle)})])
            for run in range(CHANGED_RUNS)
        ]
    return first, again, statistics.median(changed), state


def server_queries(client: Client, rows: list[dict], expected: dict[str, int]) -> int:
    """The queries the server runs for one request (the test client handles it in this thread)."""
    reset_queries()  # every request empties the query log as it starts
    with CaptureQueriesContext(connection) as captured:
        response = client.post(reverse("person-bulk"), data=body(rows), content_type="application/json")
    checked(response.status_code, response.json(), expected)
    return len(captured)


def profile(client: Client, rows: list[dict]) -> str:
    """Where one request creating `rows` spends its time: the platform's functions by cumulative time, then
    every function by its own time."""
    data = body(rows)
    profiler = cProfile.Profile()
    profiler.enable()
    response = client.post(reverse("person-bulk"), data=data, content_type="application/json")
    profiler.disable()
    checked(response.status_code, response.json(), {"created": len(rows)})
    report = io.StringIO()
    stats = pstats.Stats(profiler, stream=report)
    report.write(f"\none request creating {len(rows):,} people ({connection.vendor}), under cProfile:\n")
    stats.sort_stats("cumulative").print_stats(r"/(enablement|managers)/", PROFILE_LINES)
    stats.sort_stats("tottime").print_stats(PROFILE_LINES)
    return report.getvalue()


def orm_sync(sync_batches: list[list[dict]], teams: dict[str, int], roles: dict[str, int]) -> float:
    """The same rows straight into the database, one transaction per batch as the API does; returns the
    seconds."""
    started = time.perf_counter()
    ids: dict[str, int] = {}
    today = timezone.localdate()
    for batch in sync_batches:
        with transaction.atomic():
            people = [
                Person(
                    external_id=row["external_id"],
                    first_name=row["first_name"],
                    last_name=row["last_name"],
                    email=row["email"],
                    title=row["title"],
                    team_id=teams[row["team"]],
                    manager_id=ids.get(row["manager"]),
                    start_date=row["start_date"],
                )
                for row in batch
            ]
            Person.objects.bulk_create(
                people, update_conflicts=True, unique_fields=["external_id"], update_fields=UPSERT_FIELDS
            )
            ids.update((person.external_id, person.pk) for person in people)
            # Managers in the same batch have an id only now.
            later = []
            for person, row in zip(people, batch, strict=True):
                if row["manager"] and not person.manager_id:
                    person.manager_id = ids[row["manager"]]
                    later.append(person)
            if later:
                Person.objects.bulk_create(
                    later, update_conflicts=True, unique_fields=["external_id"], update_fields=["manager", "updated_at"]
                )
            RoleAssignment.objects.bulk_create(
                RoleAssignment(person_id=ids[row["external_id"]], role_id=roles[row["role"]], started_on=today)
                for row in batch
                if row.get("role")
            )
    return time.perf_counter() - started


def main(sizes: tuple[int, ...], with_profile: bool) -> None:
    with throwaway_database("people_sync") as test_db:
        print(
            f"database: {connection.vendor} ({test_db}); batches of {BATCH:,} over HTTP (threaded WSGI server "
            f"in-process) vs ORM upsert; 10% batch: median of {CHANGED_RUNS}; q: server queries per request"
        )
        print(
            f"{'rows':>7} {'HTTP s':>7} {'per 1k ms':>9} {'ORM s':>6} {'HTTP/ORM':>8} {'re-send s':>9} "
            f"{'10% batch s':>11} {'q new':>5} {'q same':>6} {'q 10%':>5}"
        )
        profiles = []
        for size in sizes:
            empty_database()
            reference_data(size)
            rows = org_rows(size)
            sync_batches = batches(rows, seed=size)
            _client, token = api_client_create(
                name="bench people sync", scopes=["people:read", "people:write"], by=None, hr_admin=True
            )
            with live_server() as base_url:
                http_s, again_s, changed_s, http_state = http_phase(base_url, token, sync_batches)
            assert len(http_state) == size

            client = Client(HTTP_HOST="localhost", headers={"authorization": f"Bearer {token}"})
            middle = sync_batches[len(sync_batches) // 2]
            q_new = server_queries(client, org_rows(BATCH, prefix="X"), {"created": BATCH})
            stored = with_changed_titles(middle, CHANGED_RUNS - 1)  # as the last 10% run left it
            q_same = server_queries(client, stored, {"unchanged": len(middle)})
            q_changed = server_queries(
                client, with_changed_titles(middle, CHANGED_RUNS), {"updated": changed_count(middle)}
            )
            if with_profile:
                profiles.append(profile(client, org_rows(BATCH, prefix="Y")))

            empty_database()
            teams, roles = reference_data(size)
            orm_s = orm_sync(sync_batches, teams, roles)
            assert end_state() == http_state, "the ORM baseline does not reach the HTTP sync's end state"
            print(
                f"{size:>7} {http_s:>7.2f} {http_s * 1000 * BATCH / size:>9.0f} {orm_s:>6.2f} "
                f"{http_s / orm_s:>8.1f} {again_s:>9.2f} {changed_s:>11.3f} {q_new:>5} {q_same:>6} {q_changed:>5}"
            )
        for text in profiles:
            print(text)


if __name__ == "__main__":
    sizes, flags = sizes_from_command_line(__doc__, default=SIZES, flags=("--profile",))
    main(sizes, with_profile="--profile" in flags)
