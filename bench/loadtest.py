"""The load test: gunicorn under production settings on loopback, driven by locust (headless) with the
mix of a Monday morning on the large organization (`manage.py seed_large`), at 8 and 16 concurrent users.
Prints, per page: requests, errors, requests per second, p50 / p95 / p99 and the ratio of the page's p95
to the floor's (`/healthz`, answered by the same workers in the same run), and checks the targets: every
page's p95 at most 5x the floor's, manager pages at most 3x, and no errors.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/loadtest .venv/bin/python bench/loadtest.py
    make loadtest LOADTEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/loadtest

The database is seeded with `seed_large` when it holds no people (about a minute), and used as it is
otherwise. Options: `--users 8 16` (the runs), `--seconds 60` (each run's length, after a 10 s warm-up that
is not counted), `--workers 4` (gunicorn's), `--port 8190`, `--think 0` (each user's mean pause between
pages, seconds; 0, as the issue measured: every user opens the next page as soon as the last one answered).

Plain HTTP on loopback, production settings unchanged: gunicorn runs with DJANGO_ENV=production exactly as
behind the TLS proxy of the README (DJANGO_TRUST_X_FORWARDED_PROTO=true), and locust sends
`X-Forwarded-Proto: https` as that proxy would, so there is no redirect and secure cookies stay secure.
The users' sessions are created in the database beforehand (no sign-in form, no lockouts) and sent as a
`Cookie` header; the HR system uses an API token made for the run.
"""

import argparse
import csv
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
BIN = Path(PYTHON).parent
MANAGER_PAGES = (
    "manager: home (redirect)",
    "manager: home",
    "manager: My charter",
    "manager: My development",
    "manager: inbox",
    "manager: pulse",
)
WARM_UP_SECONDS = 10


def production_env(args) -> dict[str, str]:
    var_dir = Path(os.environ.get("VAR_DIR") or ROOT / "var") / "loadtest"
    var_dir.mkdir(parents=True, exist_ok=True)
    key_file = var_dir / "secret-key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(60))
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="enablement.settings",
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=key_file.read_text(),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_TRUST_X_FORWARDED_PROTO="true",
        VAR_DIR=str(var_dir),
        LOG_LEVEL="WARNING",
    )
    if not env.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (it is seeded with seed_large when empty).")
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603 (our own commands)


def create_database(url: str) -> None:
    """Creates the database the URL names when it does not exist (the server's `postgres` database is asked)."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def analyze(url: str) -> None:
    """Fresh planner statistics (seconds), whatever seeded the database: a server with autovacuum off (this
    machine's) never gathers them, and PostgreSQL then plans every query as if the tables were empty."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("ANALYZE")


def prepare(env: dict[str, str]) -> Path:
    """Creates the database if needed, migrates, seeds when empty (under development settings: seed_large
    refuses production), collects the static files, and writes the plan: who signs in with which session,
    and what each opens."""
    create_database(env["DATABASE_URL"])
    manage(env, "migrate", "--no-input", "-v", "0")
    analyze(env["DATABASE_URL"])
    if not (Path(env["VAR_DIR"]) / "static" / "staticfiles.json").exists():  # a minute of compressing, once
        manage(env, "collectstatic", "--no-input", "-v", "0")
    plan = Path(env["VAR_DIR"]) / "plan.json"
    subprocess.run(  # noqa: S603 (our own script)
        [PYTHON, "-m", "bench.loadtest_plan", str(plan)],
        cwd=ROOT,
        env={**env, "DJANGO_ENV": "development", "DJANGO_ALLOWED_HOSTS": "127.0.0.1"},
        check=True,
    )
    return plan


def start_gunicorn(env: dict[str, str], args) -> subprocess.Popen:
    server = subprocess.Popen(  # noqa: S603 (the venv's gunicorn)
        [str(BIN / "gunicorn"), "enablement.wsgi", "-c", "gunicorn.conf.py"]
        + ["--bind", f"127.0.0.1:{args.port}", "--workers", str(args.workers)],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(
                f"http://127.0.0.1:{args.port}/healthz", headers={"X-Forwarded-Proto": "https"}
            )
            with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    sys.exit("gunicorn did not answer /healthz within 60 s.")


def run_locust(env: dict[str, str], args, plan: Path, users: int) -> list[dict]:
    prefix = Path(env["VAR_DIR"]) / f"locust-{users}"
    locust_env = {**env, "LOADTEST_PLAN": str(plan), "LOADTEST_THINK": str(args.think)}
    common = [str(BIN / "locust"), "-f", "bench/locustfile.py", "--headless", "--host", f"http://127.0.0.1:{args.port}"]
    common += ["-u", str(users), "-r", str(users), "--only-summary", "--loglevel", "WARNING"]
    # Warm-up: every worker opens its connection and fills its caches; not counted.
    warm_up = [*common, "-t", f"{WARM_UP_SECONDS}s"]
    subprocess.run(warm_up, cwd=ROOT, env=locust_env, capture_output=True)  # noqa: S603 (the venv's locust)
    subprocess.run(  # noqa: S603
        [*common, "-t", f"{args.seconds}s", "--csv", str(prefix)], cwd=ROOT, env=locust_env, capture_output=True
    )
    with open(f"{prefix}_stats.csv", newline="") as stats:
        return [row for row in csv.DictReader(stats) if row["Name"] != "Aggregated"]


def report(rows: list[dict], users: int, seconds: int) -> bool:
    """Prints the table; returns whether every target was met."""
    by_name = {row["Name"]: row for row in rows}
    floor = float(by_name["floor: /healthz"]["95%"])
    print(f"\n{users} users, {seconds} s, floor p95 {floor:.0f} ms")
    print(f"{'page':<36} {'requests':>8} {'errors':>6} {'req/s':>6} {'p50':>6} {'p95':>6} {'p99':>6}", end="")
    print(f" {'p95/floor':>9}  target")
    met = True
    for row in sorted(rows, key=lambda row: row["Name"]):
        p95 = float(row["95%"])
        ratio = p95 / floor if floor else 0.0
        target = 3.0 if row["Name"] in MANAGER_PAGES else 5.0
        errors = int(row["Failure Count"])
        ok = (ratio <= target or row["Name"].startswith("floor")) and errors == 0
        met = met and ok
        print(
            f"{row['Name']:<36} {row['Request Count']:>8} {errors:>6} {float(row['Requests/s']):>6.1f} "
            f"{float(row['50%']):>6.0f} {p95:>6.0f} {float(row['99%']):>6.0f} {ratio:>9.1f}  "
            f"{'ok' if ok else f'OVER (≤{target:.0f}x, no errors)'}"
        )
    return met


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, nargs="+", default=[8, 16])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8190)
    parser.add_argument("--think", type=float, default=0.0)
    args = parser.parse_args()
    env = production_env(args)
    print("preparing the database and the plan...", flush=True)
    plan = prepare(env)
    print("starting gunicorn...", flush=True)
    server = start_gunicorn(env, args)
    results = {}
    try:
        for users in args.users:
            print(f"running {users} users for {WARM_UP_SECONDS} + {args.seconds} s...", flush=True)
            results[users] = report(run_locust(env, args, plan, users), users, args.seconds)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    print("\n" + json.dumps({f"{users} users": "targets met" if ok else "over" for users, ok in results.items()}))


if __name__ == "__main__":
    main()
