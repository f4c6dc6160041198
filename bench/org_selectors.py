"""How the org-tree selectors scale: builds orgs of several sizes (5 levels) in a throwaway test
database and prints each selector's query count and median time.

    .venv/bin/python bench/org_selectors.py                       # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/org_selectors.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "enablement.settings_test")
django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from enablement.org import selectors  # noqa: E402
from tests.enablement.org_builder import build_org  # noqa: E402

SIZES = (20, 2_000, 20_000)
RUNS = 5


def measure(run) -> tuple[int, float]:
    with CaptureQueriesContext(connection) as captured:
        run()
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
    return len(captured), statistics.median(timings) * 1000


def main() -> None:
    test_db = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        print(f"database: {connection.vendor} ({test_db}); median of {RUNS} runs")
        print(f"{'people':>8}  {'selector':<22} {'queries':>7} {'ms':>9}")
        for size in SIZES:
            tiers = build_org(size, prefix=f"B{size}")
            top, leaf = tiers[0][0], tiers[-1][-1]
            cases = {
                "people_under": lambda top=top: list(selectors.people_under(leader=top)),
                "managers_under": lambda top=top: list(selectors.managers_under(leader=top)),
                "direct_reports_of": lambda top=top: list(selectors.direct_reports_of(person=top)),
                "manager_chain_of": lambda leaf=leaf: selectors.manager_chain_of(person=leaf),
            }
            for name, run in cases.items():
                queries, milliseconds = measure(run)
                print(f"{size:>8}  {name:<22} {queries:>7} {milliseconds:>9.2f}")
    finally:
        connection.creation.destroy_test_db(test_db, verbosity=0)


if __name__ == "__main__":
    main()
