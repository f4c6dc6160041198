import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from coaching.large_org import Shape, build_large_org
from coaching.large_org.build import PASSWORD


class Command(BaseCommand):
    help = (
        "Builds a large organization for load tests and benchmarks into an empty database: 5,000 people "
        "(50 leaders, 500 managers), 40 roles with published charters, 3,000 coaching plans with 30,000 tasks, "
        "200 requisitions with 2,000 candidates and 8,000 scorecards, pulses, recognition, support requests. "
        "--people scales every count. Refused in production; every login's password is the demo's."
    )

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=5_000, help="How many people (default 5,000; at least 100).")

    def handle(self, *args, people, **options):
        if settings.IS_PRODUCTION:
            raise CommandError("seed_large creates accounts with a known password and never runs in production.")
        if people < 100:
            raise CommandError("--people must be at least 100.")
        started = time.perf_counter()
        try:
            result = build_large_org(Shape(people=people), log=self.stdout.write)
        except ValueError as error:
            raise CommandError(str(error)) from error
        with connection.cursor() as cursor:
            # The planner's statistics for what was just written, as autovacuum would gather them after a load:
            # without them PostgreSQL plans the pages' queries as if the tables were empty.
            cursor.execute("ANALYZE")
        seconds = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Large organization built in {seconds:.1f} s:"))
        for name, count in result.counts.items():
            self.stdout.write(f"  {name:<22} {count:>7,}")
        self.stdout.write(
            f"Sign in (password: {PASSWORD}) as {result.cso} (chief sales officer), leader1-{len(result.leaders)}, "
            f"manager1-{len(result.managers)}, recruiter1-{len(result.recruiters)}, {result.hr_admin} (HR admin)."
        )
