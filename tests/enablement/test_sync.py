"""Incremental sync (`?changed_since=`) on every API collection: change order, pages that neither skip nor
repeat under concurrent writes, the settle window, terminations, and cursors that belong to one collection."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from enablement.api.clients.services import api_client_create
from enablement.api.scopes import API_SCOPES
from enablement.models import Person
from enablement.org.services import person_terminate, person_update
from tests.enablement.factories import PersonFactory

pytestmark = pytest.mark.django_db

PEOPLE = "/api/v1/people/"


@pytest.fixture
def client(hr_admin):
    _client, token = api_client_create(name="Sync", scopes=list(API_SCOPES), by=hr_admin, hr_admin=True)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return api


@pytest.fixture
def settled(settings):
    """No settle window, unless a test sets one."""
    settings.API_SYNC_SETTLE_SECONDS = 0
    return settings


def _stamp(person: Person, seconds_ago: float) -> None:
    Person.objects.filter(pk=person.pk).update(updated_at=timezone.now() - datetime.timedelta(seconds=seconds_ago))


def _sync(client: APIClient, cursor: str = "", page_size: int = 50, url: str = PEOPLE) -> tuple[list[str], str]:
    """Follows `next` to the end; returns the external ids in the order answered and the last cursor."""
    seen = []
    response = client.get(url, {"changed_since": cursor, "page_size": page_size})
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        seen += [row.get("external_id", row.get("id")) for row in body["results"]]
        if body["next"] is None:
            return seen, body["cursor"]
        response = client.get(body["next"])


def test_a_full_read_then_only_what_changed(client, settled):
    people = [PersonFactory(external_id=f"P{index}") for index in range(5)]
    for age, person in zip([50, 40, 30, 20, 10], people, strict=True):
        _stamp(person, age)

    seen, cursor = _sync(client, page_size=2)
    assert seen == ["P0", "P1", "P2", "P3", "P4"]

    assert _sync(client, cursor) == ([], cursor)  # nothing new: the same cursor back
    person_update(person=people[1], data={"title": "Sales Manager"})
    person_terminate(person=people[3])
    newcomer = PersonFactory(external_id="NEW")

    seen, later = _sync(client, cursor)
    assert seen == ["P1", "P3", "NEW"]
    rows = client.get(PEOPLE, {"changed_since": cursor}).json()["results"]
    assert rows[1]["employment_status"] == "terminated"
    assert _sync(client, later)[0] == []
    assert newcomer.pk in [row["id"] for row in rows]


def test_pages_neither_skip_nor_repeat_when_rows_change_between_them(client, settled):
    people = [PersonFactory(external_id=f"P{index}") for index in range(6)]
    for age, person in zip(range(60, 0, -10), people, strict=True):
        _stamp(person, age)

    first = client.get(PEOPLE, {"changed_since": "", "page_size": 2}).json()
    assert [row["external_id"] for row in first["results"]] == ["P0", "P1"]
    # Between pages: a row already read changes, and a row not read yet changes.
    person_update(person=people[0], data={"title": "Changed"})
    person_update(person=people[4], data={"title": "Changed"})
    seen, _cursor = _sync(client, first["cursor"], page_size=2)

    assert seen == ["P2", "P3", "P5", "P0", "P4"]  # P0 again because it changed after it was read


def test_rows_inside_the_settle_window_wait_and_are_not_passed_over(client, settings):
    settings.API_SYNC_SETTLE_SECONDS = 15
    old, recent = PersonFactory(external_id="OLD"), PersonFactory(external_id="RECENT")
    _stamp(old, 60)
    _stamp(recent, 5)  # as if its transaction might still be open

    seen, cursor = _sync(client)
    assert seen == ["OLD"]

    settings.API_SYNC_SETTLE_SECONDS = 0  # time passes
    assert _sync(client, cursor)[0] == ["RECENT"]


def test_bad_cursors_are_400s_and_cursors_belong_to_their_collection(client, settled):
    PersonFactory()
    cursor = client.get(PEOPLE, {"changed_since": ""}).json()["cursor"]

    for bad in ["nonsense", "eyJ4IjoxfQ", "!!!"]:
        response = client.get(PEOPLE, {"changed_since": bad})
        assert response.status_code == 400, bad
        assert "changed_since" in response.json()["errors"]
    assert client.get("/api/v1/teams/", {"changed_since": cursor}).status_code == 400


def test_sync_pages_run_a_fixed_number_of_queries(client, settled, django_assert_max_num_queries):
    for index in range(40):
        _stamp(PersonFactory(external_id=f"P{index}"), 100 - index)

    with django_assert_max_num_queries(7):
        body = client.get(PEOPLE, {"changed_since": "", "page_size": 40}).json()
    assert len(body["results"]) == 40


LIST_ROUTES = [
    "person-list",
    "team-list",
    "role-list",
    "charter-version-list",
    "acknowledgement-list",
    "metric-reading-list",
    "competency-list",
    "requisition-list",
    "candidate-list",
    "application-list",
    "scorecard-list",
    "decision-list",
    "assessment-list",
    "plan-list",
    "goal-list",
    "task-list",
    "session-list",
    "pulse-list",
    "recognition-list",
    "support-request-list",
]


@pytest.mark.parametrize("route", LIST_ROUTES)
def test_every_collection_syncs(client, settled, route, hiring):
    response = client.get(reverse(route), {"changed_since": ""})

    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"next", "cursor", "results"}
    again = client.get(reverse(route), {"changed_since": body["cursor"]})
    assert again.status_code == 200 and again.json()["results"] == []


@pytest.mark.parametrize(
    "state",
    [
        '{"c":"person","t":"2024-02-30T00:00:00+00:00","id":1}',
        '{"c":"person","t":"0001-01-01T00:00:00+14:00","id":1}',
        '{"c":"person","t":"9999-12-31T23:59:59-14:00","id":1}',
        '{"c":"person","t":"2024-01-01T00:00:00","id":1}',
        '{"c":"person","t":5,"id":1}',
        '{"c":"person","t":null,"id":"1"}',
        "[" * 2000,
    ],
)
def test_tampered_cursors_are_400s(client, settled, state):
    import base64

    cursor = base64.urlsafe_b64encode(state.encode()).decode().rstrip("=")

    response = client.get(PEOPLE, {"changed_since": cursor})

    assert response.status_code == 400
    assert response.json()["errors"] == {"changed_since": ["This is not a cursor this collection gave out."]}
