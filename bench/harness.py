"""What the benchmarks share: a throwaway database of their own (never the suite's, nor another
benchmark's: they may run at the same time), a fresh one per size, and counting and timing a run."""

import argparse
import logging
import os
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext


@contextmanager
def throwaway_database(name: str) -> Iterator[str]:
    """Creates the benchmark's own database, yields its name, and drops it afterwards."""
    logging.getLogger("axes").setLevel(logging.WARNING)  # four lines per sign-in clutter the tables
    if connection.vendor == "sqlite":
        database = str(settings.VAR_DIR / f"bench-{name}.sqlite3")
    else:
        database = f"bench_{name}_{os.getpid()}"
    connection.settings_dict.setdefault("TEST", {})["NAME"] = database
    created = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield created
    finally:
        connection.creation.destroy_test_db(created, verbosity=0)


def empty_database() -> None:
    """Starts the next size from nothing; the flush's post_migrate recreates the role groups."""
    call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()  # a flush gives the content types new ids


def analyze() -> None:
    """What autovacuum does after a bulk load; without fresh statistics PostgreSQL's planner guesses."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def measure(run: Callable[[], object], runs: int) -> tuple[int, float]:
    """The queries of one run, and the median milliseconds of `runs` more. Every request empties the query
    log as it starts, so the log is emptied before the capture and counted before the timed runs."""
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        run()
    queries = len(captured)
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
    return queries, statistics.median(timings) * 1000


def sizes_from_command_line(doc: str, *, default: tuple[int, ...], env: str = "", flags: tuple[str, ...] = ()):
    """The sizes a benchmark runs at, from its arguments (or the `env` variable make passes), with --help
    printing the benchmark's docstring and a size that is not a positive whole number refused by name.
    Returns (sizes, the flags given)."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=_size, help=f"sizes to run (default: {' '.join(map(str, default))})")
    for flag in flags:
        parser.add_argument(flag, action="store_true")
    arguments = parser.parse_args()
    if not arguments.sizes and env and os.environ.get(env, "").strip():
        arguments = parser.parse_args(os.environ[env].split())
    return tuple(arguments.sizes) or default, {flag for flag in flags if getattr(arguments, flag.lstrip("-"))}


def _size(text: str) -> int:
    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not positive")
    return value
