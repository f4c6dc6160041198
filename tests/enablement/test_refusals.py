"""Refusals say what is wrong in the usual shape, and are logged in one line (issue 12, items 7 and 8)."""

import logging
import sys

import pytest
from django.apps import apps
from django.db.models import UniqueConstraint
from rest_framework.test import APIClient

from enablement.api.clients.services import api_client_create
from enablement.models import Team
from enablement.web.log_filters import OneLineClientErrors
from tests.enablement.factories import TeamFactory

OUR_APPS = {"enablement", "managers", "coaching", "webhooks", "scim"}


@pytest.fixture
def hris(hr_admin) -> APIClient:
    _client, token = api_client_create(name="HRIS", scopes=["people:read", "people:write"], by=hr_admin, hr_admin=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


# A duplicate key: the field's message, not the constraint's name.


def test_a_duplicate_team_external_id_is_a_field_error(hris):
    TeamFactory(name="EMEA", external_id="T-EMEA")

    response = hris.post("/api/v1/teams/", {"name": "EMEA again", "external_id": "T-EMEA"}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "status": 400,
        "code": "invalid",
        "detail": "The request is not valid: see errors for what to change.",
        "errors": {"external_id": ["A team with this external id exists."]},
    }
    assert Team.objects.filter(external_id="T-EMEA").count() == 1


def test_changing_a_team_to_a_taken_external_id_is_a_field_error(hris):
    TeamFactory(name="EMEA", external_id="T-EMEA")
    other = TeamFactory(name="APAC", external_id="T-APAC")

    response = hris.patch(f"/api/v1/teams/{other.pk}/", {"external_id": "T-EMEA"}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"external_id": ["A team with this external id exists."]}
    other.refresh_from_db()
    assert other.external_id == "T-APAC"


def _reported_by_name(constraint: UniqueConstraint) -> bool:
    """Django words a violation of a plain unique constraint from its fields ("Team with this External id
    already exists."), and of one with a condition or expressions as "Constraint “<name>” is violated.",
    unless the constraint says otherwise."""
    return bool(constraint.condition or constraint.expressions) and (
        constraint.violation_error_message in (None, UniqueConstraint.default_violation_error_message)
    )


def _unique_constraints():
    for model in apps.get_models():
        if model._meta.app_label in OUR_APPS:
            for constraint in model._meta.constraints:
                if isinstance(constraint, UniqueConstraint):
                    yield model, constraint


def test_no_unique_constraint_is_reported_by_its_name():
    assert [
        f"{model._meta.label}.{constraint.name}"
        for model, constraint in _unique_constraints()
        if _reported_by_name(constraint)
    ] == []


def test_a_unique_key_with_a_condition_is_reported_on_its_field():
    """`violation_error_code="unique"` on a one-field constraint files the message under the field, as for an
    unconditional unique field (`Model.validate_constraints`)."""
    keys = [
        (model._meta.label, constraint.violation_error_code)
        for model, constraint in _unique_constraints()
        if constraint.condition is not None and list(constraint.fields) == ["external_id"]
    ]
    assert ("enablement.Team", "unique") in keys
    assert {code for _label, code in keys} == {"unique"}


# A 403 is one line in the log.


def test_a_page_403_is_logged_in_one_line_with_its_reason(client, org, caplog):
    client.force_login(org["seller"].user)

    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/coaching/heatmap/")

    assert response.status_code == 403
    [record] = [record for record in caplog.records if record.name == "django.request"]
    assert record.levelname == "WARNING" and record.exc_info is None and record.exc_text is None
    assert record.getMessage().startswith("Forbidden (Permission denied): /coaching/heatmap/ (")
    assert "Traceback" not in caplog.text


def _record(status_code: int) -> logging.LogRecord:
    try:
        raise RuntimeError("why")
    except RuntimeError:
        exc_info = sys.exc_info()
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "%s: %s", ("Forbidden", "/x/"), exc_info)
    record.status_code = status_code
    return record


def test_a_client_error_loses_its_traceback_and_a_server_error_keeps_it():
    client_error, server_error = _record(403), _record(500)

    assert OneLineClientErrors().filter(client_error) and OneLineClientErrors().filter(server_error)

    assert client_error.exc_info is None and client_error.getMessage() == "Forbidden: /x/ (why)"
    assert server_error.exc_info is not None and server_error.getMessage() == "Forbidden: /x/"


def test_the_filter_is_on_django_request():
    assert any(isinstance(found, OneLineClientErrors) for found in logging.getLogger("django.request").filters)
