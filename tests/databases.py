"""Test databases under pytest-xdist: migrated once, copied per worker; the demo seeded once.

Left to pytest-django, each xdist worker creates its own test database and runs every migration into it: about
8 s of CPU a worker, six times a CI run. Instead the controller process migrates one test database (the
template) before it starts the workers, and each worker starts from a copy of it, the way Django's own parallel
test runner does (`clone_test_db`: `CREATE DATABASE ... TEMPLATE` on PostgreSQL, a file copy on SQLite). The
controller drops the template after the last worker is done.

The modules that read the whole demo (`seed_demo`) ask for `demo_db`: the first worker to need it seeds a copy
of the template once for the run (the demo template), and each worker runs those modules on its own copy of
that, which a module's transaction leaves as it found it. Without xdist (`-n 0`, `-p no:xdist`) pytest-django
creates the database as usual and `demo_db` seeds the demo inside the module's transaction.
"""

import fcntl
import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from pytest_django.plugin import blocking_manager_key

DEMO = "demo"
_names: dict[str, str] = {}  # this worker's databases: "template", "own", and "demo" once it has its demo copy


def _is_controller_of_workers(config: pytest.Config) -> bool:
    return not hasattr(config, "workerinput") and bool(getattr(config.option, "numprocesses", None))


def _default_connection():
    from django.db import connections

    return connections["default"]


def _use(connection, name: str) -> None:
    """Points the default connection, and any thread's connection made from the settings, at database `name`."""
    from django.conf import settings

    connection.close()
    connection.settings_dict["NAME"] = settings.DATABASES["default"]["NAME"] = name


def _clone(connection, source: str, suffix: str) -> str:
    """A copy of database `source` named for `suffix`; returns its name."""
    _use(connection, source)
    connection.creation.clone_test_db(suffix=suffix, verbosity=0)
    return connection.creation.get_test_db_clone_settings(suffix)["NAME"]


def _drop(connection, name: str) -> None:
    """Drops a test database. On PostgreSQL, sessions a test left open on it (a thread of the live server, a
    worker process's) are ended first, instead of the drop failing and the database staying behind."""
    connection.close()
    if connection.vendor != "postgresql":
        if Path(name).exists():
            connection.creation._destroy_test_db(name, verbosity=0)
        return
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)} WITH (FORCE)")


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Before xdist starts the workers (its own hook runs last): the template, migrated."""
    if not _is_controller_of_workers(session.config):
        return
    with session.config.stash[blocking_manager_key].unblock():
        connection = _default_connection()
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        connection.close()
    session.config.stash[_template_key] = connection.settings_dict["NAME"]


def pytest_sessionfinish(session: pytest.Session) -> None:
    template = session.config.stash.get(_template_key, None)
    if template is None:
        return
    with session.config.stash[blocking_manager_key].unblock():
        connection = _default_connection()
        connection.settings_dict["NAME"] = template
        demo_template = connection.creation.get_test_db_clone_settings(DEMO)["NAME"]
        _drop(connection, demo_template)
        _drop(connection, template)
        for marker in _demo_ready_marker(template).parent.glob(f"test-demo-{Path(template).name}-*.ready"):
            marker.unlink(missing_ok=True)


_template_key = pytest.StashKey[str]()


@pytest.fixture(scope="session")
def django_db_modify_db_settings():
    """No per-worker database names from pytest-django: the workers' copies are named by `clone_test_db`."""


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker):
    """On an xdist worker, a copy of the controller's migrated template; otherwise pytest-django's own setup."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        yield from _migrated_database(request, django_db_blocker)
        return
    connection = _default_connection()
    with django_db_blocker.unblock():
        _names["template"] = connection.creation._get_test_db_name()
        _names["own"] = _clone(connection, _names["template"], worker)
        _use(connection, _names["own"])
    yield
    with django_db_blocker.unblock():
        for name in ("demo", "own"):
            if name in _names:
                _drop(connection, _names[name])


def _migrated_database(request, django_db_blocker):
    from django.test.utils import setup_databases, teardown_databases

    keepdb = request.config.getvalue("reuse_db") and not request.config.getvalue("create_db")
    with django_db_blocker.unblock():
        config = setup_databases(verbosity=request.config.option.verbose, interactive=False, keepdb=keepdb)
    yield
    if not keepdb:
        with django_db_blocker.unblock():
            teardown_databases(config, verbosity=request.config.option.verbose)


def _demo_ready_marker(template: str) -> Path:
    from django.conf import settings

    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", "")
    return Path(settings.VAR_DIR) / f"test-demo-{Path(template).name}-{run}.ready"


def _demo_copy(connection) -> str:
    """This worker's copy of the seeded demo database, made on first use: the first worker of the run to need the
    demo seeds the demo template (the others wait on the lock), then each copies it once."""
    from django.conf import settings

    if DEMO in _names:
        return _names[DEMO]
    worker = os.environ["PYTEST_XDIST_WORKER"]
    with open(Path(settings.VAR_DIR) / "test-demo.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        ready = _demo_ready_marker(_names["template"])
        demo_template = _clone(connection, _names["template"], DEMO) if not ready.exists() else None
        if demo_template is not None:
            _use(connection, demo_template)
            call_command("seed_demo", stdout=io.StringIO())
            connection.close()
            ready.touch()
        _use(connection, _names["template"])
        demo_template = connection.creation.get_test_db_clone_settings(DEMO)["NAME"]
        _names[DEMO] = _clone(connection, demo_template, worker)
    return _names[DEMO]


@pytest.fixture(scope="module")
def demo_db(django_db_setup, django_db_blocker):
    """The demo (`seed_demo`) under a whole module, in one transaction rolled back after its last test (each
    test's own transaction is a savepoint inside it). Under xdist the module runs on this worker's copy of the
    demo database, seeded once for the run; otherwise the demo is seeded inside the transaction."""
    connection = _default_connection()
    with django_db_blocker.unblock():
        seeded = "own" in _names
        if seeded:
            _use(connection, _demo_copy(connection))
        try:
            with transaction.atomic():
                if not seeded:
                    call_command("seed_demo", stdout=io.StringIO())
                yield
                transaction.set_rollback(True)
        finally:
            if seeded:
                _use(connection, _names["own"])
