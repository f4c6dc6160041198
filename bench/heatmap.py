"""How the gap heatmap scales: an org of N people (a chief sales officer, directors, frontline managers
each leading a team of sellers), the 12 competencies of the seed framework, four manager roles requiring
6 to 8 of them each, every manager holding one, and nine managers in ten assessed from two or three
sources (leader, self, peer) rating every competency their role requires; six in ten managers have an
active plan with tasks, some overdue. All in a throwaway test database.

For each N it times, signed in as the chief sales officer (everyone is below them), median of 5 runs:
the heatmap cells (`heatmap_roll_up` over `policy.heatmap_people_for`: a row per director, each over their
sub-tree, and the average row), the first page of the drill-down of one competency over the whole org
(`gap_rows` and `people_with_gap`), the whole heatmap page (`GET coaching:heatmap`, which also lists managers
without an active plan and overdue tasks by coach, both bounded), one director's drill-down
(`GET coaching:heatmap-under`: a row per manager) and one cell's drill-down page (`GET coaching:heatmap-cell`),
and prints their query counts, the rows each heatmap page prints and its size.

    .venv/bin/python bench/heatmap.py --help                        # this text
    .venv/bin/python bench/heatmap.py                               # SQLite, N = 5,000
    .venv/bin/python bench/heatmap.py 5000 20000                    # other sizes
    make bench BENCH_PEOPLE="5000 20000"                            # the same through make
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/heatmap.py
"""

import datetime
import os
import sys
import time
from functools import partial
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "enablement.settings_test")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.harness import analyze, empty_database, measure, sizes_from_command_line, throwaway_database  # noqa: E402
from coaching import policy  # noqa: E402
from coaching.models import Assessment, AssessmentRating, CoachingPlan, CoachingTask  # noqa: E402
from coaching.selectors.gaps import gap_rows, heatmap_roll_up, people_with_gap  # noqa: E402
from coaching.views.leader import DRILL_DOWN_PAGE_SIZE  # noqa: E402
from enablement.accounts import roles  # noqa: E402
from enablement.accounts.policy import person_for  # noqa: E402
from enablement.models import Person, Team  # noqa: E402
from managers.models import Competency, Role, RoleAssignment, RoleCompetency  # noqa: E402
from managers.services.competencies import competencies_seed  # noqa: E402

SIZES = (5_000,)
RUNS = 5
PEOPLE_PER_MANAGER = 10  # the manager and nine sellers
MANAGERS_PER_DIRECTOR = 25
ROLES = 4
SOURCES = (Assessment.Source.LEADER, Assessment.Source.SELF, Assessment.Source.PEER)
BATCH = 5_000


def _people(layer: str, managers: list[Person | None], teams: list[Team], **extra) -> list[Person]:
    """One person of `layer` per entry: the i-th reports to managers[i] and is in teams[i]."""
    return Person.objects.bulk_create(
        (
            Person(
                external_id=f"{layer}-{index}",
                first_name=layer.title(),
                last_name=str(index),
                email=f"{layer}{index}@example.com",
                manager=manager,
                team=team,
                **extra,
            )
            for index, (manager, team) in enumerate(zip(managers, teams, strict=True))
        ),
        batch_size=BATCH,
    )


def _teams(layer: str, parents: list[Team | None]) -> list[Team]:
    """One team of `layer` per entry, the i-th under parents[i]."""
    return Team.objects.bulk_create(
        (
            Team(name=f"{layer} {index}", external_id=f"T-{layer}-{index}", parent=parent)
            for index, parent in enumerate(parents)
        ),
        batch_size=BATCH,
    )


def build(size: int):
    """The org of `size` people with roles, assessments and plans; returns the chief sales officer's login."""
    today = timezone.localdate()
    managers_count = max(size // PEOPLE_PER_MANAGER, 1)
    directors_count = max(managers_count // MANAGERS_PER_DIRECTOR, 1)
    sellers_count = max(size - 1 - directors_count - managers_count, 0)
    User = get_user_model()
    cso_user = User.objects.create(username="bench-cso", password=make_password("bench"))
    cso_user.groups.add(Group.objects.get(name=roles.SALES_LEADER))

    (sales,) = _teams("Sales", [None])
    (cso,) = _people("cso", [None], [sales], user=cso_user, title="Chief Sales Officer")
    segments = _teams("Segment", [sales] * directors_count)
    directors = _people("director", [cso] * directors_count, segments)
    # Each manager is in the team they lead, as in the demo org: the heatmap has a row per manager's team.
    above = [index * directors_count // managers_count for index in range(managers_count)]
    teams = _teams("Team", [segments[director] for director in above])
    managers = _people("manager", [directors[director] for director in above], teams)
    owners = [index * managers_count // max(sellers_count, 1) for index in range(sellers_count)]
    _people("seller", [managers[owner] for owner in owners], [teams[owner] for owner in owners])

    competencies_seed()
    competencies = list(Competency.objects.order_by("key"))
    role_list = Role.objects.bulk_create(
        Role(code=f"bench-{index}", name=f"Frontline Sales Manager {index}") for index in range(ROLES)
    )
    required: dict[int, list[Competency]] = {}
    requirements = []
    for index, role in enumerate(role_list):
        chosen = [competencies[(index * 3 + offset) % len(competencies)] for offset in range(6 + index % 3)]
        required[role.pk] = chosen
        requirements += [
            RoleCompetency(
                role=role,
                competency=competency,
                required_level=2 + (index + number) % 3,
                weight=1 + (index + number) % 5,
            )
            for number, competency in enumerate(chosen)
        ]
    RoleCompetency.objects.bulk_create(requirements)
    held = {manager.pk: role_list[index % ROLES] for index, manager in enumerate(managers)}
    RoleAssignment.objects.bulk_create(
        (RoleAssignment(person_id=pk, role=role, started_on=datetime.date(2026, 1, 1)) for pk, role in held.items()),
        batch_size=BATCH,
    )

    assessed = [manager for index, manager in enumerate(managers) if index % 10]  # nine in ten
    assessments = Assessment.objects.bulk_create(
        (
            Assessment(
                person=manager,
                source=source,
                assessed_on=today - datetime.timedelta(days=30 + number),
                summary="Bench assessment.",
            )
            for index, manager in enumerate(assessed)
            for number, source in enumerate(SOURCES[: 2 + index % 2])
        ),
        batch_size=BATCH,
    )
    AssessmentRating.objects.bulk_create(
        (
            AssessmentRating(
                assessment=assessment,
                competency=competency,
                level=1 + (assessment.person_id + number + len(assessment.source)) % 4,
                evidence="Observed in two call reviews and a pipeline review.",
            )
            for assessment in assessments
            for number, competency in enumerate(required[held[assessment.person_id].pk])
        ),
        batch_size=BATCH,
    )

    with_plans = [manager for index, manager in enumerate(managers) if index % 10 < 6]  # six in ten
    plans = CoachingPlan.objects.bulk_create(
        (
            CoachingPlan(
                coachee=manager,
                coach_id=manager.manager_id,
                title="Bench plan",
                state="active",
                period_start=today - datetime.timedelta(days=40),
                period_end=today + datetime.timedelta(days=50),
                activated_at=timezone.now(),
            )
            for manager in with_plans
        ),
        batch_size=BATCH,
    )
    CoachingTask.objects.bulk_create(
        (
            CoachingTask(
                plan=plan,
                kind="practice",
                title=f"Task {number}",
                assignee_id=plan.coachee_id,
                due_on=today + datetime.timedelta(days=(number * 9 - 20)),
            )
            for plan in plans
            for number in range(4)
        ),
        batch_size=BATCH,
    )
    return cso_user, competencies[0]


def main(sizes: tuple[int, ...]) -> None:
    with throwaway_database("heatmap") as test_db:
        print(
            f"database: {connection.vendor} ({test_db}); {ROLES} roles requiring 6-8 of 12 competencies, nine in "
            f"ten managers assessed by 2-3 sources; median of {RUNS} runs"
        )
        print(
            f"{'people':>7} {'managers':>8} {'build s':>7} {'cells q':>7} {'cells ms':>8} {'drill q':>7} "
            f"{'drill ms':>8} {'page q':>6} {'page ms':>7} {'rows':>4} {'page KB':>7} {'director q':>10} "
            f"{'director ms':>11} {'rows':>4} {'cell page q':>11} {'cell page ms':>12}"
        )
        for size in sizes:
            empty_database()
            started = time.perf_counter()
            cso_user, competency = build(size)
            build_seconds = time.perf_counter() - started
            analyze()
            managers = RoleAssignment.objects.count()
            cso = person_for(cso_user)

            def cells(user=cso_user, cso=cso):
                return heatmap_roll_up(policy.heatmap_people_for(user), cso)

            def drill(user=cso_user, competency=competency):
                people = policy.heatmap_people_for(user)
                return people_with_gap(people, competency, rows=gap_rows(people, competency)[:DRILL_DOWN_PAGE_SIZE])

            built = cells()
            directors = Person.objects.filter(manager=cso).count()
            assert len({cell.head_id for cell in built if cell.head_id}) == directors, "a row per director"
            assert sum(cell.people for cell in built if cell.head_id is None) == sum(
                cell.people for cell in built if cell.head_id
            )
            assert drill()

            client = Client(HTTP_HOST="localhost")  # the test client's "testserver" is not in ALLOWED_HOSTS
            client.force_login(cso_user)
            director = Person.objects.filter(manager=cso).order_by("pk").first()
            pages = {
                "page": reverse("coaching:heatmap"),
                "director": reverse("coaching:heatmap-under", args=[director.pk]),
                "cell": reverse("coaching:heatmap-cell", args=["all", competency.pk]),
            }

            def get(url, client=client):
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                return response

            cells_q, cells_ms = measure(cells, RUNS)
            drill_q, drill_ms = measure(drill, RUNS)
            page_q, page_ms = measure(partial(get, pages["page"]), RUNS)
            director_q, director_ms = measure(partial(get, pages["director"]), RUNS)
            cell_q, cell_ms = measure(partial(get, pages["cell"]), RUNS)
            page = get(pages["page"]).content
            director_rows = get(pages["director"]).content.count(b"<tr data-row=")
            print(
                f"{size:>7} {managers:>8} {build_seconds:>7.2f} {cells_q:>7} {cells_ms:>8.1f} {drill_q:>7} "
                f"{drill_ms:>8.1f} {page_q:>6} {page_ms:>7.1f} {page.count(b'<tr data-row='):>4} "
                f"{len(page) / 1024:>7.1f} {director_q:>10} {director_ms:>11.1f} {director_rows:>4} {cell_q:>11} "
                f"{cell_ms:>12.1f}"
            )


if __name__ == "__main__":
    main(sizes_from_command_line(__doc__, default=SIZES, env="BENCH_PEOPLE")[0])
