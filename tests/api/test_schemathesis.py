"""Property-based tests of /api/v1/ against its own OpenAPI 3.1 description (schemathesis 4).

Given the demo org (people, charters, hiring, coaching) and an API token holding every scope whose account is
an HR admin, when schemathesis sends generated requests to every operation the schema describes (valid ones
and invalid ones, derandomized so a run is repeatable), then no answer is a 5xx, and every answer's status,
content type, headers and body are ones the schema documents for that operation.

In-process through the WSGI application, inside the test's transaction: runs the same on SQLite and
PostgreSQL, and leaves nothing behind.
"""

import time
from collections import Counter

import hypothesis
import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug.test import Client

from enablement.api.clients.services import api_client_create
from enablement.api.scopes import API_SCOPES

pytestmark = [pytest.mark.django_db, pytest.mark.conformance]

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
MAX_EXAMPLES = 6


@pytest.fixture
def wsgi_app():
    """The WSGI application, its requests kept on the test's connection: Django closes a connection it finds
    inside a transaction at each request's start and end, which would end the test's own (its test client
    disconnects the same receiver)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(demo_data, wsgi_app, hr_admin, settings):
    # A thousand requests in well under a minute from one client: more than the default burst rate allows.
    rates = {"burst": "100000/min", "sustained": "100000/hour"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    client, token = api_client_create(name="Schemathesis", scopes=API_SCOPES.keys(), by=hr_admin, hr_admin=True)
    # An HR admin's account sees no charter, requisition or plan (it works on none and has no place in the
    # org): as a superuser it reaches every object of the demo data, so each operation's 200s are fuzzed too.
    # Who sees what is for the API tests of each app; this is about what the answers look like.
    type(client.user).objects.filter(pk=client.user.pk).update(is_superuser=True)
    config = schemathesis.Config.from_dict({"headers": {"Authorization": f"Bearer {token}"}})
    return schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app, config=config)


def _exercise(operation, mode: GenerationMode, sent: list, path_parameters: dict | None) -> None:
    @hypothesis.settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(hypothesis.HealthCheck),
    )
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
    def run(case):
        response = case.call_and_validate(checks=CHECKS)
        sent.append(response.status_code)

    run()


def _existing_id(app, operation, headers: dict) -> int | None:
    """The id of the first object the collection of a detail operation lists, for requests that find one."""
    if "{id}" not in operation.path:
        return None
    collection = operation.path.split("{id}")[0]
    response = Client(app).get(collection, headers=headers)  # not Django's: it reconnects close_old_connections
    if response.status_code != 200:
        return None
    rows = response.json.get("results", [])
    return rows[0]["id"] if rows else None


def test_api_v1_conforms_to_its_schema(api_schema):
    started, sent, failures = time.monotonic(), [], []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    headers = api_schema.config.headers
    for operation in operations:
        passes = [(GenerationMode.POSITIVE, None), (GenerationMode.NEGATIVE, None)]
        existing = _existing_id(api_schema.app, operation, headers)
        if existing is not None:
            passes.append((GenerationMode.POSITIVE, {"id": existing}))
        for mode, path_parameters in passes:
            try:
                _exercise(operation, mode, sent, path_parameters)
            except (AssertionError, BaseExceptionGroup) as error:  # every failure collected, reported together
                failures.append(f"{operation.label} ({mode.value}, {path_parameters}): {error}")
    statuses = dict(sorted(Counter(sent).items()))
    print(f"{len(operations)} operations, {len(sent)} requests {statuses}, {time.monotonic() - started:.1f} s")  # noqa: T201
    assert not failures, "\n\n".join(failures)
