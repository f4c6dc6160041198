"""Profiles one page as one user on the database DATABASE_URL names (the large org of `seed_large`, say):
the page is opened once to warm up, then timed once (after a full garbage collection), then once under
pyinstrument, whose call tree is printed with the page's query count and time. For the pages the load
test (bench/loadtest.py) finds over target.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/loadtest .venv/bin/python bench/profile_page.py \\
        manager1 /coaching/pulse/123/
"""

import gc
import os
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "enablement.settings_test")  # static files without collectstatic
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from pyinstrument import Profiler  # noqa: E402


def main(username: str, url: str) -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=username))
    response = client.get(url)
    print(f"{url} as {username}: {response.status_code}, {len(response.content):,} bytes")
    # The start-up heap's first full collection otherwise falls in the timed request (pulse page: 150 ms
    # timed, 70 ms every request after): a worker pays it once, not per page.
    gc.collect()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        client.get(url)
        print(f"{len(queries)} queries, {(time.perf_counter() - started) * 1000:.0f} ms")
    profiler = Profiler(interval=0.001)
    with profiler:
        client.get(url)
    print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
