"""`GET /api/v1/manager-impact/`: the page's visibility (a leader their sub-tree, a manager their own, nobody
else anyone), people signed in and machines with real tokens, the same figures and flags as the page, the
filters, and the same number of queries for 5 and for 50 managers."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from coaching.impact.selectors import impact_managers_for, manager_impacts
from enablement.api.clients.services import api_client_create
from managers.services.charters import role_assign
from tests.coaching.pulse.conftest import add_sellers
from tests.enablement.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/manager-impact/"


def _person(person_or_user) -> APIClient:
    client = APIClient()
    client.force_login(getattr(person_or_user, "user", person_or_user))
    return client


def _token(hr_admin, scopes, *, hr=True) -> APIClient:
    _client, token = api_client_create(name=f"HR {len(scopes)}", scopes=scopes, by=hr_admin, hr_admin=hr)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_a_leader_reads_the_managers_of_their_sub_tree_with_the_pages_figures(org, impact_org):
    response = _person(org["leader"]).get(LIST)
    assert _ids(response) == {org["owner"].pk, org["peer"].pk}
    row = next(row for row in response.json()["results"] if row["id"] == org["owner"].pk)
    page = next(
        impact
        for impact in manager_impacts(impact_managers_for(user=org["leader"].user))
        if impact.manager == org["owner"]
    )
    assert [flag["text"] for flag in row["flags"]] == [flag.text for flag in page.flags]
    assert row["manager"] == {
        "id": org["owner"].pk,
        "external_id": org["owner"].external_id,
        "name": org["owner"].full_name,
    }
    assert row["director"]["id"] == org["leader"].pk and row["role"] == "Frontline Sales Manager, Enterprise"
    assert row["clarity"]["ratings"] == {"focus": 4, "deprioritize": 2, "success": 5}
    assert row["clarity"]["unanswered_questions"] == 1 and row["clarity"]["pulse"] == {
        "status": "none",
        "favourable": None,
    }
    assert row["skills"]["gap_index"] == "1.00" and row["skills"]["plan"]["id"] == impact_org["plan"].pk
    assert (row["skills"]["team"], row["skills"]["team_with_conversation"]) == (1, 0)
    assert row["support"]["ratings"] == [
        {"item": impact_org["item"].pk, "name": "Alex Kim", "kind": "partner", "score": 2}
    ]
    assert [request["id"] for request in row["support"]["open_requests"]] == [impact_org["request"].pk]
    performance = row["performance"]
    assert (performance["on_track"], performance["total"], performance["trend"], performance["meets"]) == (
        1,
        1,
        "up",
        True,
    )
    assert performance["metrics"][0]["status"] == "on_track" and performance["metrics"][0]["latest"] == "104.00"
    assert _person(org["leader"]).get(f"{LIST}{org['owner'].pk}/").json() == row
    assert _person(org["leader"]).get(f"{LIST}{org['outsider'].pk}/").status_code == 404


def test_a_manager_reads_their_own_and_another_managers_is_a_404(org, impact_org):
    client = _person(org["owner"])
    assert _ids(client.get(LIST)) == {org["owner"].pk}
    assert client.get(f"{LIST}{org['owner'].pk}/").status_code == 200
    assert client.get(f"{LIST}{org['peer'].pk}/").status_code == 404


@pytest.mark.parametrize("who", ["recruiter", "hr_admin", "seller"])
def test_recruiters_hr_admins_and_sellers_read_nobody(org, impact_org, recruiter, hr_admin, who):
    client = _person({"recruiter": recruiter, "hr_admin": hr_admin}.get(who) or org[who])
    assert _ids(client.get(LIST)) == set()
    assert client.get(f"{LIST}{org['owner'].pk}/").status_code == 404


def test_machines_with_real_tokens_read_nobody_and_need_the_scope(org, impact_org, hr_admin):
    assert _ids(_token(hr_admin, ["impact:read"]).get(LIST)) == set()
    assert _token(hr_admin, ["impact:read"]).get(f"{LIST}{org['owner'].pk}/").status_code == 404
    assert _token(hr_admin, ["coaching:read"]).get(LIST).status_code == 403
    assert APIClient().get(LIST).status_code == 401
    assert _person(org["leader"]).post(LIST, {}, format="json").status_code == 405


def test_filters_and_bad_filters(org, charter, impact_org):
    other = PersonFactory(manager=org["owner"], user=UserFactory(username="team-lead"))
    PersonFactory(manager=other)  # a manager: someone reports to them
    role_assign(person=other, role=charter["other_role"], on=datetime.date(2026, 1, 1), by=None)
    client = _person(org["leader"])
    assert _ids(client.get(LIST, {"director": org["owner"].pk})) == {other.pk}
    assert _ids(client.get(LIST, {"role": charter["role"].pk})) == {org["owner"].pk, org["peer"].pk}
    assert _ids(client.get(LIST, {"team": org["team"].pk})) == {org["owner"].pk, org["peer"].pk}
    response = client.get(LIST, {"director": "x"})
    assert response.status_code == 400 and set(response.json()["errors"]) == {"director"}


def test_the_list_runs_the_same_queries_for_5_and_50_managers(org, charter, impact_org):
    def queries() -> int:
        client = _person(org["leader"])
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST, {"page_size": 100}).status_code == 200
        return len(captured)

    def add(count: int, prefix: str) -> None:
        for index in range(count):
            manager = PersonFactory(manager=org["leader"], user=UserFactory(username=f"{prefix}{index}"))
            role_assign(person=manager, role=charter["role"], on=datetime.date(2026, 1, 1), by=None)
            add_sellers(manager, 2, prefix=f"{prefix}{index}s")

    add(3, "few")
    five = queries()
    add(45, "many")
    assert queries() == five
    assert len(_person(org["leader"]).get(LIST, {"page_size": 100}).json()["results"]) == 50


def test_the_schema_describes_the_impact_and_support_operations(client, hr_admin):
    client.force_login(hr_admin)
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()
    assert schema["paths"]["/api/v1/manager-impact/"]["get"]["summary"] == "List manager impact"
    assert "post" in schema["paths"]["/api/v1/support-requests/{id}/state/"]
