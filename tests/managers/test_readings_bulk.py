"""`POST /api/v1/metric-readings/bulk/` with real tokens: per-row results and every per-row error, an unchanged
batch writing nothing, `dry_run` writing nothing, Idempotency-Key replays, the scope, and a fixed number of
queries whatever the number of rows."""

import datetime
import uuid
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from enablement.api.clients.services import api_client_create
from managers.models import MetricReading
from managers.services.charters import role_assign
from tests.enablement.factories import PersonFactory
from tests.managers.factories import SuccessMetricFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/metric-readings/bulk/"


def _token_client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def crm(hr_admin):
    """A CRM's client: readings:write and charters:read, acting as an HR admin."""
    client, token = api_client_create(
        name="Salesforce export", scopes=["readings:write", "charters:read"], by=hr_admin, hr_admin=True
    )
    return client, _token_client(token)


@pytest.fixture
def metric(charter):
    """The charter's monthly "Team quota attainment" (target 100%) that owner and peer hold."""
    return charter["version"].metrics.get()


def _last_month() -> datetime.date:
    return timezone.localdate().replace(day=1) - relativedelta(months=1)


def _row(person, metric, *, period=None, value="97.50", **extra) -> dict:
    period = period or _last_month()
    return {"person": person.external_id, "metric": str(metric.key), "period": str(period), "value": value, **extra}


def _post(api, rows, **envelope):
    response = api.post(URL, {"readings": rows, **envelope}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def test_bulk_records_each_row_and_answers_per_row(org, metric, crm):
    client, api = crm
    mid_month = _last_month() + datetime.timedelta(days=14)
    body = _post(
        api,
        [
            _row(org["owner"], metric, value="97.50", note="From CRM"),
            _row(org["peer"], metric, period=mid_month, value="104"),
        ],
    )

    assert body["dry_run"] is False and body["summary"] == {"created": 2, "updated": 0, "unchanged": 0, "error": 0}
    owner_reading = MetricReading.objects.get(person=org["owner"])
    peer_reading = MetricReading.objects.get(person=org["peer"])
    assert (owner_reading.value, owner_reading.note, owner_reading.period) == (
        Decimal("97.50"),
        "From CRM",
        _last_month(),
    )
    assert peer_reading.period == _last_month() and owner_reading.recorded_by == client.user
    assert [(result["index"], result["status"], result["id"], result["period"]) for result in body["results"]] == [
        (0, "created", owner_reading.pk, str(_last_month())),
        (1, "created", peer_reading.pk, str(_last_month())),
    ]


@pytest.mark.parametrize(
    ("case", "field", "message"),
    [
        ("unknown person", "person", "No person has external id NOPE."),
        ("metric not in the charter", "metric", "is not a metric of the charter"),
        ("metric of another role", "metric", "is not a metric of the charter"),
        ("future period", "period", "A reading cannot be for a future period."),
        ("before the role", "period", "before"),
        ("not a date", "period", "Date has wrong format."),
        ("not a number", "value", "A valid number is required."),
        ("no metric key", "metric", "Must be a valid UUID."),
        ("not an object", "non_field_errors", "Each row must be an object."),
    ],
)
def test_bulk_refuses_a_bad_row_with_field_messages_and_writes_the_others(
    org, charter, metric, crm, case, field, message
):
    _client, api = crm
    outsider_metric = SuccessMetricFactory(version=charter["other_draft"])
    bad = {
        "unknown person": {**_row(org["owner"], metric), "person": "NOPE"},
        "metric not in the charter": {**_row(org["owner"], metric), "metric": str(uuid.uuid4())},
        "metric of another role": _row(org["owner"], outsider_metric),
        "future period": _row(org["owner"], metric, period=timezone.localdate() + relativedelta(months=2)),
        "before the role": _row(org["owner"], metric, period=datetime.date(2025, 11, 3)),
        "not a date": {**_row(org["owner"], metric), "period": "2026-13-01"},
        "not a number": _row(org["owner"], metric, value="lots"),
        "no metric key": {**_row(org["owner"], metric), "metric": "quota"},
        "not an object": ["a", "list"],
    }[case]

    body = _post(api, [bad, _row(org["peer"], metric)])

    refused, written = body["results"]
    assert refused["status"] == "error" and refused["id"] is None
    assert any(message in text for text in refused["errors"][field]), refused["errors"]
    assert written["status"] == "created"
    assert list(MetricReading.objects.values_list("person", flat=True)) == [org["peer"].pk]


def test_bulk_refuses_every_row_of_a_duplicate_in_the_batch(org, metric, crm):
    _client, api = crm
    first = _row(org["owner"], metric, period=_last_month(), value="90")
    same_period = _row(org["owner"], metric, period=_last_month() + datetime.timedelta(days=9), value="95")

    body = _post(api, [first, same_period, _row(org["peer"], metric)])

    assert [result["status"] for result in body["results"]] == ["error", "error", "created"]
    assert body["results"][0]["errors"] == {
        "non_field_errors": ["The same person, metric and period are also in row(s) 1."]
    }
    assert not MetricReading.objects.filter(person=org["owner"]).exists()


def test_an_unchanged_batch_writes_nothing_and_a_changed_row_is_updated(org, metric, crm):
    _client, api = crm
    rows = [_row(org["owner"], metric, value="97.50"), _row(org["peer"], metric, value="101")]
    _post(api, rows)
    stamps = dict(MetricReading.objects.values_list("pk", "updated_at"))

    with CaptureQueriesContext(connection) as captured:
        body = _post(api, rows)

    assert body["summary"] == {"created": 0, "updated": 0, "unchanged": 2, "error": 0}
    writes = [
        q["sql"]
        for q in captured
        if "managers_metricreading" in q["sql"] and q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == [] and dict(MetricReading.objects.values_list("pk", "updated_at")) == stamps

    body = _post(api, [rows[0], {**rows[1], "value": "99.25"}])
    assert [result["status"] for result in body["results"]] == ["unchanged", "updated"]
    assert MetricReading.objects.get(person=org["peer"]).value == Decimal("99.25")


def test_dry_run_answers_what_would_change_and_writes_nothing(org, metric, crm):
    _client, api = crm
    body = _post(api, [_row(org["owner"], metric), {**_row(org["peer"], metric), "person": "NOPE"}], dry_run=True)
    assert body["dry_run"] is True
    assert [(result["status"], result["id"]) for result in body["results"]] == [("created", None), ("error", None)]
    assert not MetricReading.objects.exists()


def test_the_same_idempotency_key_replays_the_answer_without_writing_again(org, metric, crm):
    _client, api = crm
    payload = {"readings": [_row(org["owner"], metric, value="97.50")]}
    first = api.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="crm-2026-03")
    MetricReading.objects.update(value=Decimal("1"))  # a later change the replay must not undo

    again = api.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="crm-2026-03")

    assert again.status_code == first.status_code == 200
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert MetricReading.objects.get().value == Decimal("1")
    other = api.post(URL, {"readings": [_row(org["peer"], metric)]}, format="json", HTTP_IDEMPOTENCY_KEY="crm-2026-03")
    assert other.status_code == 422


def test_bulk_needs_the_readings_scope_and_an_hr_admin(org, metric, hr_admin):
    rows = {"readings": [_row(org["owner"], metric)]}
    _c, charters_only = api_client_create(
        name="Other", scopes=["charters:read", "charters:write"], by=hr_admin, hr_admin=True
    )
    _c, not_admin = api_client_create(name="BI", scopes=["readings:write"], by=hr_admin)
    assert _token_client(charters_only).post(URL, rows, format="json").status_code == 403
    assert _token_client(not_admin).post(URL, rows, format="json").status_code == 403
    assert APIClient().post(URL, rows, format="json").status_code == 401
    leader = APIClient()
    leader.force_login(org["leader"].user)
    assert leader.post(URL, rows, format="json").status_code == 403
    assert not MetricReading.objects.exists()


def test_bulk_refuses_an_empty_or_oversized_batch(org, metric, crm):
    _client, api = crm
    assert api.post(URL, {"readings": []}, format="json").status_code == 400
    too_many = [_row(org["owner"], metric)] * 1001
    response = api.post(URL, {"readings": too_many}, format="json")
    assert response.status_code == 400 and "readings" in response.json()["errors"]


def test_bulk_runs_the_same_queries_for_10_and_100_rows(org, charter, metric, crm):
    _client, api = crm
    holders = [PersonFactory() for _ in range(100)]
    for person in holders:
        role_assign(person=person, role=charter["role"], on=datetime.date(2026, 1, 1), by=None)

    def queries(people) -> int:
        with CaptureQueriesContext(connection) as captured:
            body = _post(api, [_row(person, metric) for person in people])
        assert body["summary"]["created"] == len(people)
        return len(captured)

    _post(api, [_row(holders[0], metric)], dry_run=True)  # the token's first use is recorded once
    assert queries(holders[:10]) == queries(holders[10:])


def test_the_schema_describes_the_bulk_operation(client, hr_admin):
    client.force_login(hr_admin)
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/metric-readings/bulk/"]["post"]
    assert operation["summary"] == "Record metric readings in bulk"
    assert "readings:write" in str(operation.get("security"))
