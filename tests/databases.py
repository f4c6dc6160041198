"""Test databases under pytest-xdist: migrated once, copied per worker.

Left to pytest-django, each xdist worker creates its own test database and runs every migration into it: about
8 s of CPU a worker, six times a CI run. Instead the controller process migrates one test database (the
template) before it starts the workers, and each worker starts from a copy of it, the way Django's own parallel
test runner does (`clone_test_db`: `CREATE DATABASE ... TEMPLATE` on PostgreSQL, a file copy on SQLite). The
controller drops the template after the last worker is done. Without xdist (`-n 0`, `-p no:xdist`) nothing here
applies and pytest-django creates the database as usual.
"""

import os

import pytest
from pytest_django.plugin import blocking_manager_key


def is_controller_of_workers(config: pytest.Config) -> bool:
    return not hasattr(config, "workerinput") and bool(getattr(config.option, "numprocesses", None))


def _default_connection():
    from django.db import connections

    return connections["default"]


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Before xdist starts the workers (its own hook runs last): the template, migrated."""
    if not is_controller_of_workers(session.config):
        return
    with session.config.stash[blocking_manager_key].unblock():
        connection = _default_connection()
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        connection.close()
    session.config.stash[_template_key] = True


def pytest_sessionfinish(session: pytest.Session) -> None:
    if not session.config.stash.get(_template_key, False):
        return
    with session.config.stash[blocking_manager_key].unblock():
        _drop(_default_connection())


_template_key = pytest.StashKey[bool]()


@pytest.fixture(scope="session")
def django_db_modify_db_settings():
    """No per-worker database names from pytest-django: the workers' copies are named by `clone_test_db`."""


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker):
    """On an xdist worker, a copy of the controller's migrated template; otherwise pytest-django's own setup."""
    from django.conf import settings

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker is None:
        yield from _migrated_database(request, django_db_blocker)
        return
    connection = _default_connection()
    with django_db_blocker.unblock():
        template = connection.creation._get_test_db_name()
        connection.settings_dict["NAME"] = template
        connection.creation.clone_test_db(suffix=worker, verbosity=0)
        connection.settings_dict.update(connection.creation.get_test_db_clone_settings(worker))
        settings.DATABASES["default"]["NAME"] = connection.settings_dict["NAME"]
        connection.close()
    yield
    with django_db_blocker.unblock():
        _drop(connection)


def _drop(connection) -> None:
    """Drops the connection's test database. On PostgreSQL, sessions a test left open on it (a thread of the live
    server, a worker process's) are ended first, instead of the drop failing and the database staying behind."""
    connection.close()
    name = connection.settings_dict["NAME"]
    if connection.vendor != "postgresql":
        connection.creation._destroy_test_db(name, verbosity=0)
        return
    with connection.creation._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)} WITH (FORCE)")


def _migrated_database(request, django_db_blocker):
    from django.test.utils import setup_databases, teardown_databases

    keepdb = request.config.getvalue("reuse_db") and not request.config.getvalue("create_db")
    with django_db_blocker.unblock():
        config = setup_databases(verbosity=request.config.option.verbose, interactive=False, keepdb=keepdb)
    yield
    if not keepdb:
        with django_db_blocker.unblock():
            teardown_databases(config, verbosity=request.config.option.verbose)
