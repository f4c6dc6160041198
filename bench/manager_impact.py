"""How the Manager impact page scales: the org of `bench/heatmap.py` (a chief sales officer, directors, 500
frontline managers each leading nine sellers in an org of 5,000, four roles, assessments from two or three
sources, six in ten managers with an active plan), plus what the impact page reads: a published charter per
role (4 monthly metrics, 6 support items), acknowledgements (nine in ten acknowledged with clarity ratings,
one in ten with a question, the rest pending), six months of readings of every metric, every manager's
support ratings, a support request for every third manager, a 1:1 session with a third of the sellers, and
a closed team pulse answered by six sellers for every other manager. All in a throwaway database.

For each N it times, signed in as the chief sales officer (every manager is below them), median of 5 runs:
every manager's card (`manager_impacts` over `impact_managers_for`: what the page computed on every view
before it read roll-ups and charts from `coaching.impact.overview`), every manager's roll-up figures
(`manager_figures`), the whole page (`GET coaching:impact`: filters, roll-ups, charts, the first 25 cards), the
page under "only those who need attention" (every card in view, to know who is flagged), one manager's card, and
the API's first page of 50 (`GET /api/v1/manager-impact/`), and prints their query counts.

    .venv/bin/python bench/manager_impact.py                        # SQLite, N = 5,000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/manager_impact.py
    .venv/bin/python bench/manager_impact.py 5000 20000              # other sizes
"""

import datetime
import hashlib
import os
import sys
import time
from decimal import Decimal
from functools import partial
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "enablement.settings_test")
django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.harness import analyze, empty_database, measure, sizes_from_command_line, throwaway_database  # noqa: E402
from bench.heatmap import BATCH, build  # noqa: E402
from coaching.impact.overview import manager_figures  # noqa: E402
from coaching.impact.selectors import impact_managers_for, manager_impacts  # noqa: E402
from coaching.models import (  # noqa: E402
    CoachingPlan,
    CoachingSession,
    Pulse,
    PulseAnswer,
    PulseItem,
    PulseQuestion,
    PulseSeries,
)
from coaching.pulse.question_bank import question_bank_load  # noqa: E402
from enablement.models import Person  # noqa: E402
from managers.models import (  # noqa: E402
    Acknowledgement,
    CharterVersion,
    Competency,
    MetricReading,
    Role,
    RoleAssignment,
    SuccessMetric,
    SupportFunction,
    SupportItem,
    SupportRating,
    SupportRequest,
)

SIZES = (5_000,)
RUNS = 5
METRICS = 4
ITEMS = 6
MONTHS = 6
RESPONDENTS = 6


def _charters(cso: Person) -> dict[int, CharterVersion]:
    now = timezone.now()
    versions = {}
    for role in Role.objects.all():
        version = CharterVersion.objects.create(
            role=role, number=1, status="published", purpose="Bench.", published_at=now
        )
        SuccessMetric.objects.bulk_create(
            SuccessMetric(version=version, position=index, name=f"Metric {index}", unit="%", target=Decimal(100))
            for index in range(METRICS)
        )
        SupportItem.objects.bulk_create(
            SupportItem(
                version=version,
                position=index,
                kind=("tool", "partner", "resource")[index % 3],
                name=f"Support {index}",
            )
            for index in range(ITEMS)
        )
        versions[role.pk] = version
    return versions


def _acknowledgements(assignments, versions, now) -> None:
    rows = []
    for index, assignment in enumerate(assignments):
        version = versions[assignment.role_id]
        pending = index % 10 == 0
        rows.append(
            Acknowledgement(
                person_id=assignment.person_id,
                version=version,
                requested_at=now - datetime.timedelta(days=20),
                acknowledged_at=None if pending else now - datetime.timedelta(days=15),
                clarity_focus=None if pending else 1 + index % 5,
                clarity_deprioritize=None if pending else 1 + index % 4,
                clarity_success=None if pending else 2 + index % 4,
                question="Which pipeline counts?" if index % 10 == 1 else "",
            )
        )
    Acknowledgement.objects.bulk_create(rows, batch_size=BATCH)


def _readings(assignments, versions, today) -> None:
    metrics = {role: list(version.metrics.all()) for role, version in versions.items()}
    month = today.replace(day=1)
    rows = []
    for index, assignment in enumerate(assignments):
        for metric in metrics[assignment.role_id]:
            for back in range(1, MONTHS + 1):
                period = (month - datetime.timedelta(days=28 * back)).replace(day=1)
                value = Decimal(80 + (index * 7 + back * 3 + metric.position * 5) % 40)
                rows.append(
                    MetricReading(
                        person_id=assignment.person_id, metric=metric, metric_key=metric.key, period=period, value=value
                    )
                )
    MetricReading.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)


def _support(assignments, versions, cso: Person, now) -> None:
    items = {role: list(version.support_items.all()) for role, version in versions.items()}
    quarter = timezone.localdate().replace(month=3 * ((timezone.localdate().month - 1) // 3) + 1, day=1)
    SupportRating.objects.bulk_create(
        (
            SupportRating(
                person_id=assignment.person_id,
                item=item,
                role_id=assignment.role_id,
                item_kind=item.kind,
                item_name=item.name,
                quarter=quarter,
                score=1 + (index + item.position) % 5,
                occasion="acknowledgement",
            )
            for index, assignment in enumerate(assignments)
            for item in items[assignment.role_id]
        ),
        batch_size=BATCH,
    )
    owner = Person.objects.create(external_id="revops", first_name="Rev", last_name="Ops", email="revops@example.com")
    function = SupportFunction.objects.create(name="Revenue Operations", owner=owner)
    SupportRequest.objects.bulk_create(
        (
            SupportRequest(
                raised_by_id=assignment.person_id,
                owner=owner,
                function=function,
                kind="tool",
                title=f"Blocked {index}",
                first_response_due_at=now - datetime.timedelta(days=index % 9),
            )
            for index, assignment in enumerate(assignments)
            if index % 3 == 0
        ),
        batch_size=BATCH,
    )


def _one_on_ones(managers: list[Person], today) -> None:
    sellers = list(Person.objects.filter(manager__in=managers).values_list("pk", "manager_id"))[::3]
    plans = CoachingPlan.objects.bulk_create(
        (
            CoachingPlan(
                coachee_id=seller,
                coach_id=manager,
                title="1:1s",
                state="completed",
                period_start=today - datetime.timedelta(days=90),
                period_end=today,
            )
            for seller, manager in sellers
        ),
        batch_size=BATCH,
    )
    CoachingSession.objects.bulk_create(
        (CoachingSession(plan=plan, held_on=today - datetime.timedelta(days=30), notes="Bench 1:1.") for plan in plans),
        batch_size=BATCH,
    )


def _pulses(managers: list[Person], today) -> None:
    question_bank_load(PulseQuestion, Competency)  # the flush between sizes took the migration's bank too
    agree = PulseQuestion.objects.filter(is_active=True, scale="agree")
    per_lever = [agree.filter(lever=lever).first() for lever in ("clarity", "skills", "support", "engagement")]
    questions = [question for question in per_lever if question is not None]
    series = PulseSeries.objects.bulk_create(PulseSeries(subject=manager) for manager in managers[::2])
    pulses = Pulse.objects.bulk_create(
        Pulse(
            series=entry,
            opens_on=today - datetime.timedelta(days=14),
            closes_on=today - datetime.timedelta(days=7),
            state="closed",
            invited_count=9,
            respondent_count=RESPONDENTS,
        )
        for entry in series
    )
    PulseItem.objects.bulk_create(
        (
            PulseItem(pulse=pulse, question=question, position=index)
            for pulse in pulses
            for index, question in enumerate(questions)
        ),
        batch_size=BATCH,
    )
    PulseAnswer.objects.bulk_create(
        (
            PulseAnswer(
                pulse=pulse,
                question=question,
                respondent=hashlib.sha256(f"{pulse.series_id}-{respondent}".encode()).hexdigest(),
                value=1 + (pulse.pk + respondent + question.pk) % 5,
            )
            for pulse in pulses
            for question in questions
            for respondent in range(RESPONDENTS)
        ),
        batch_size=BATCH,
    )


def build_impact(size: int):
    cso_user, _competency = build(size)
    cso = Person.objects.get(user=cso_user)
    now, today = timezone.now(), timezone.localdate()
    versions = _charters(cso)
    assignments = list(RoleAssignment.objects.order_by("pk"))
    managers = list(Person.objects.filter(pk__in=[assignment.person_id for assignment in assignments]))
    _acknowledgements(assignments, versions, now)
    _readings(assignments, versions, today)
    _support(assignments, versions, cso, now)
    _one_on_ones(managers, today)
    _pulses(managers, today)
    return cso_user


def main(sizes: tuple[int, ...]) -> None:
    with throwaway_database("impact") as test_db:
        print(f"database: {connection.vendor} ({test_db}); median of {RUNS} runs, signed in as the CSO")
        print(
            f"{'people':>7} {'managers':>8} {'readings':>8} {'build s':>7} {'cards q':>7} {'cards ms':>8} "
            f"{'figures q':>9} {'figures ms':>10} {'page q':>6} {'page ms':>8} {'attention q':>11} "
            f"{'attention ms':>12} {'card q':>6} {'card ms':>7} {'api q':>5} {'api ms':>7}"
        )
        for size in sizes:
            empty_database()
            started = time.perf_counter()
            cso_user = build_impact(size)
            build_seconds = time.perf_counter() - started
            analyze()

            def cards(user=cso_user):
                return manager_impacts(impact_managers_for(user=user))

            def figures(user=cso_user):
                return manager_figures(impact_managers_for(user=user))

            impacts = cards()
            assert len(impacts) == RoleAssignment.objects.count()
            assert any(impact.clarity.pulse.status == "shown" for impact in impacts), "some bands released"
            client = Client(HTTP_HOST="localhost")
            client.force_login(cso_user)

            def get(url, client=client, **params):
                response = client.get(url, params)
                assert response.status_code == 200, (url, response.status_code)
                return response

            card = reverse("coaching:impact-card", args=[impacts[0].manager.pk])
            cards_q, cards_ms = measure(cards, RUNS)
            figures_q, figures_ms = measure(figures, RUNS)
            page_q, page_ms = measure(partial(get, reverse("coaching:impact")), RUNS)
            attention_q, attention_ms = measure(partial(get, reverse("coaching:impact"), attention="on"), RUNS)
            card_q, card_ms = measure(partial(get, card), RUNS)
            api_q, api_ms = measure(partial(get, "/api/v1/manager-impact/"), RUNS)
            print(
                f"{size:>7} {len(impacts):>8} {MetricReading.objects.count():>8} {build_seconds:>7.2f} "
                f"{cards_q:>7} {cards_ms:>8.1f} {figures_q:>9} {figures_ms:>10.1f} {page_q:>6} {page_ms:>8.1f} "
                f"{attention_q:>11} {attention_ms:>12.1f} {card_q:>6} {card_ms:>7.1f} {api_q:>5} {api_ms:>7.1f}"
            )


if __name__ == "__main__":
    main(sizes_from_command_line(__doc__, default=SIZES, env="BENCH_IMPACT_PEOPLE")[0])
