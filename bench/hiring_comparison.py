"""How the hiring comparison scales: one requisition whose role requires 10 competencies, N candidates each
with 5 submitted scorecards rating all 10 (ratings from 1 to 4: every other candidate's interviewers
disagree, so the page shows flags), in a throwaway test database. For each N it times the candidate
profiles of every application (`candidate_profiles` over all of them, loaded as `application_list` loads
them: what the pages no longer do), the comparison page (`GET managers:requisition-detail` signed in as
the recruiter: one page of COMPARISON_COLUMNS candidates, profiles for those only), the pipeline board
(BOARD_LANE_LIMIT cards a lane) and one candidate's page, median of 5 runs, and prints their query counts.

    .venv/bin/python bench/hiring_comparison.py                     # SQLite, N = 30 and 300
    .venv/bin/python bench/hiring_comparison.py 30 3000             # other sizes
    make bench BENCH_CANDIDATES="30 3000"                           # the same through make
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/hiring_comparison.py
"""

import datetime
import os
import sys
import time
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
from enablement.accounts import roles  # noqa: E402
from enablement.models import Person  # noqa: E402
from managers.models import (  # noqa: E402
    Application,
    Candidate,
    Competency,
    Interview,
    InterviewFocus,
    InterviewStage,
    Requisition,
    RoleCompetency,
    Scorecard,
    ScorecardRating,
)
from managers.selectors.hiring import application_list, candidate_profiles  # noqa: E402
from managers.views.hiring import COMPARISON_COLUMNS  # noqa: E402
from tests.managers.factories import RoleFactory  # noqa: E402

SIZES = (30, 300)
RUNS = 5
COMPETENCIES = 10
SCORECARDS = 5  # per candidate, one per interview of the plan
BATCH = 5_000


def _rating(candidate: int, scorecard: int, competency: int) -> int:
    """1 to 4. Odd candidates' interviewers spread over 1-4 on every competency (a disagreement flag each);
    even candidates' interviewers agree."""
    spread = scorecard if candidate % 2 else 0
    return 1 + (candidate + competency + spread) % 4


def build(size: int) -> Requisition:
    """Creates the requisition with `size` candidates, each with SCORECARDS submitted scorecards rating
    all COMPETENCIES; returns the requisition."""
    now = timezone.now()
    User = get_user_model()
    recruiter = User.objects.create(username="bench-recruiter", password=make_password("bench"))
    recruiter.groups.add(Group.objects.get(name=roles.RECRUITER))
    role = RoleFactory(code="bench")
    competencies = Competency.objects.bulk_create(
        Competency(
            key=f"bench-{index}",
            name=f"Competency {index}",
            kind=Competency.Kind.SKILL if index % 2 else Competency.Kind.MINDSET,
            description="What it is and why it matters.",
            anchor_1="Does it when prompted.",
            anchor_2="Does it reliably for their own team.",
            anchor_3="Does it well under pressure.",
            anchor_4="Others copy how they do it.",
        )
        for index in range(COMPETENCIES)
    )
    RoleCompetency.objects.bulk_create(
        RoleCompetency(role=role, competency=competency, required_level=2 + index % 3, weight=1 + index % 5)
        for index, competency in enumerate(competencies)
    )
    hiring_manager, *interviewers = Person.objects.bulk_create(
        Person(external_id=f"P-{index}", first_name="Interviewer", last_name=str(index), email=f"p{index}@example.com")
        for index in range(1 + SCORECARDS)
    )
    requisition = Requisition.objects.create(
        role=role, title="Bench requisition", hiring_manager=hiring_manager, recruiter=recruiter, opened_by=recruiter
    )
    stages = InterviewStage.objects.bulk_create(
        InterviewStage(requisition=requisition, position=index, name=f"Interview {index}")
        for index in range(SCORECARDS)
    )
    InterviewFocus.objects.bulk_create(
        InterviewFocus(stage=stage, competency=competency) for stage in stages for competency in competencies
    )
    candidates = Candidate.objects.bulk_create(
        (
            Candidate(first_name=f"C{index}", last_name="Compared", email=f"c{index}@mail.example")
            for index in range(size)
        ),
        batch_size=BATCH,
    )
    applications = Application.objects.bulk_create(
        (
            Application(
                candidate=candidate, requisition=requisition, stage=Application.Stage.INTERVIEWS, stage_changed_at=now
            )
            for candidate in candidates
        ),
        batch_size=BATCH,
    )
    interviews = Interview.objects.bulk_create(
        (
            Interview(
                application=application,
                stage=stages[number],
                interviewer=interviewers[number],
                scheduled_at=now - datetime.timedelta(days=2),
            )
            for application in applications
            for number in range(SCORECARDS)
        ),
        batch_size=BATCH,
    )
    recommendations = list(Scorecard.Recommendation)
    scorecards = Scorecard.objects.bulk_create(
        (
            Scorecard(
                interview=interview,
                status=Scorecard.Status.SUBMITTED,
                submitted_at=now,
                recommendation=recommendations[index % len(recommendations)],
                summary="Summary.",
            )
            for index, interview in enumerate(interviews)
        ),
        batch_size=BATCH,
    )
    ScorecardRating.objects.bulk_create(
        (
            ScorecardRating(
                scorecard=scorecard,
                competency=competency,
                rating=_rating(index // SCORECARDS, index % SCORECARDS, number),
                evidence="Evidence.",
            )
            for index, scorecard in enumerate(scorecards)
            for number, competency in enumerate(competencies)
        ),
        batch_size=BATCH,
    )
    return requisition


def main(sizes: tuple[int, ...]) -> None:
    with throwaway_database("hiring") as test_db:
        print(
            f"database: {connection.vendor} ({test_db}); {COMPETENCIES} required competencies, "
            f"{SCORECARDS} submitted scorecards per candidate; median of {RUNS} runs"
        )
        print(
            f"{'candidates':>10} {'scorecards':>10} {'ratings':>8} {'build s':>8} "
            f"{'profiles queries':>16} {'profiles ms':>11} {'page queries':>12} {'page ms':>9} "
            f"{'board q':>7} {'board ms':>8} {'candidate q':>11} {'candidate ms':>12}"
        )
        for size in sizes:
            empty_database()
            started = time.perf_counter()
            requisition = build(size)
            build_seconds = time.perf_counter() - started
            analyze()

            def profiles(requisition=requisition):
                return candidate_profiles(list(application_list(requisition.applications.all())))

            built = profiles()
            assert len(built) == size and sum(len(profile.flags) for profile in built.values()) > 0

            client = Client(HTTP_HOST="localhost")  # the test client's "testserver" is not in ALLOWED_HOSTS
            client.force_login(requisition.recruiter)
            url = reverse("managers:requisition-detail", args=[requisition.pk])

            def page(client=client, url=url):
                response = client.get(url)
                assert response.status_code == 200, response.status_code
                return response

            board_url = reverse("managers:pipeline-board", args=[requisition.pk])
            candidate_url = reverse("managers:application-detail", args=[requisition.applications.first().pk])
            # one page of candidates side by side, whatever their number
            assert page().content.decode().count("Compared</a>") == min(size, COMPARISON_COLUMNS)

            profile_queries, profile_ms = measure(profiles, RUNS)
            page_queries, page_ms = measure(page, RUNS)
            board_queries, board_ms = measure(lambda board_url=board_url: page(url=board_url), RUNS)
            candidate_queries, candidate_ms = measure(lambda candidate_url=candidate_url: page(url=candidate_url), RUNS)
            print(
                f"{size:>10} {size * SCORECARDS:>10} {size * SCORECARDS * COMPETENCIES:>8} {build_seconds:>8.2f} "
                f"{profile_queries:>16} {profile_ms:>11.2f} {page_queries:>12} {page_ms:>9.2f} "
                f"{board_queries:>7} {board_ms:>8.2f} {candidate_queries:>11} {candidate_ms:>12.2f}"
            )


if __name__ == "__main__":
    main(sizes_from_command_line(__doc__, default=SIZES, env="BENCH_CANDIDATES")[0])
