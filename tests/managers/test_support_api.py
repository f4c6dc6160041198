"""The support requests API: the lifecycle (raise, move on, not fixed reopens, fixed closes, comments) for
the people it belongs to, the visibility of the pages, machines with real tokens (read all as HR admins,
incremental sync with changed_since, no writes as nobody), scopes and Idempotency-Key."""

import pytest
from rest_framework.test import APIClient

from enablement.api.clients.services import api_client_create
from managers.models import SupportRequest
from tests.managers.support_helpers import raise_request

pytestmark = pytest.mark.django_db

LIST = "/api/v1/support-requests/"


def _person(person_or_user) -> APIClient:
    client = APIClient()
    client.force_login(getattr(person_or_user, "user", person_or_user))
    return client


def _token(hr_admin, scopes) -> APIClient:
    _client, token = api_client_create(name=f"Desk {len(scopes)}", scopes=scopes, by=hr_admin, hr_admin=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def _ok(response, status=200) -> dict:
    assert response.status_code == status, response.content
    return response.json()


def test_the_lifecycle_through_the_api(org, charter, outside):
    item = charter["version"].support_items.get()
    raiser, owner = _person(org["owner"]), _person(outside["revops"])
    body = {
        "title": "CPQ approvals take five days",
        "kind": "tool",
        "function": outside["function"].pk,
        "support_item": item.pk,
        "description": "Quotes wait.",
    }

    created = _ok(raiser.post(LIST, body, format="json"), 201)

    assert created["owner"]["id"] == outside["revops"].pk and created["state"] == "open"
    assert created["function"] == {"id": outside["function"].pk, "name": "Revenue Operations"}
    url = f"{LIST}{created['id']}/"
    assert _ok(owner.post(f"{url}state/", {"state": "acknowledged"}, format="json"))["first_response_at"]
    _ok(owner.post(f"{url}state/", {"state": "resolved", "note": "Rule removed."}, format="json"))
    reopened = _ok(raiser.post(f"{url}confirm/", {"fixed": False, "note": "Still slow."}, format="json"))
    assert (reopened["state"], reopened["reopen_count"], reopened["is_closed"]) == ("open", 1, False)
    _ok(owner.post(f"{url}state/", {"state": "resolved", "note": "Auto-approve."}, format="json"))
    closed = _ok(raiser.post(f"{url}confirm/", {"fixed": True}, format="json"))
    assert closed["is_closed"] is True and closed["confirmed_fixed_at"]
    thread = _ok(_person(org["leader"]).post(f"{url}comments/", {"body": "Thanks, all."}, format="json"), 201)
    assert [entry["event"] for entry in thread["entries"]] == [
        "raised",
        "acknowledged",
        "resolved",
        "not_fixed",
        "resolved",
        "fixed",
        "comment",
    ]


def test_moves_by_the_wrong_person_are_403s_and_bad_moves_400s(org, outside):
    request = raise_request(org["owner"], function=outside["function"])
    url = f"{LIST}{request.pk}/"
    refused = _person(org["owner"]).post(f"{url}state/", {"state": "resolved"}, format="json")
    assert refused.status_code == 403 and refused.json()["detail"] == "Only the owner of a support request moves it on."
    decline = _person(outside["revops"]).post(f"{url}state/", {"state": "declined"}, format="json")
    assert decline.status_code == 400 and set(decline.json()["errors"]) == {"note"}
    early = _person(org["owner"]).post(f"{url}confirm/", {"fixed": True}, format="json")
    assert early.status_code == 400
    bad = _person(outside["revops"]).post(f"{url}state/", {"state": "open"}, format="json")
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"state"}
    assert SupportRequest.objects.get().state == "open"


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("owner", True),
        ("revops", True),
        ("leader", True),
        ("revops_lead", True),
        ("peer", False),
        ("seller", False),
        ("outsider", False),
    ],
)
def test_who_reads_a_request(org, outside, who, sees):
    request = raise_request(org["owner"], function=outside["function"])
    client = _person(org.get(who) or outside.get(who))
    assert client.get(f"{LIST}{request.pk}/").status_code == (200 if sees else 404)
    assert ({row["id"] for row in _ok(client.get(LIST))["results"]} == {request.pk}) == sees


def test_an_hr_system_syncs_every_request_with_changed_since(org, outside, hr_admin, settings):
    settings.API_SYNC_SETTLE_SECONDS = 0
    first = raise_request(org["owner"], function=outside["function"], title="First")
    raise_request(org["outsider"], function=outside["function"], title="Outside the tree")
    desk = _token(hr_admin, ["support:read"])

    everything = _ok(desk.get(LIST, {"changed_since": ""}))
    assert {row["title"] for row in everything["results"]} == {"First", "Outside the tree"}
    assert _ok(desk.get(LIST, {"changed_since": everything["cursor"]}))["results"] == []

    _person(outside["revops"]).post(f"{LIST}{first.pk}/state/", {"state": "in_progress"}, format="json")
    changed = _ok(desk.get(LIST, {"changed_since": everything["cursor"]}))
    assert [(row["id"], row["state"]) for row in changed["results"]] == [(first.pk, "in_progress")]


def test_list_filters_by_state_and_function(org, outside, hr_admin):
    request = raise_request(org["owner"], function=outside["function"])
    raise_request(org["peer"], owner=outside["revops_lead"], title="To a person")
    _person(outside["revops"]).post(f"{LIST}{request.pk}/state/", {"state": "declined", "note": "No."}, format="json")
    desk = _token(hr_admin, ["support:read"])
    assert [row["title"] for row in _ok(desk.get(LIST, {"state": "open"}))["results"]] == ["To a person"]
    assert [row["id"] for row in _ok(desk.get(LIST, {"function": outside["function"].pk}))["results"]] == [request.pk]
    assert desk.get(LIST, {"state": "later"}).status_code == 400


def test_machines_read_but_neither_raise_nor_move_and_scopes_hold(org, outside, hr_admin):
    request = raise_request(org["owner"], function=outside["function"])
    writer = _token(hr_admin, ["support:read", "support:write"])
    body = {"title": "x", "kind": "tool", "owner": outside["revops"].external_id}
    assert writer.post(LIST, body, format="json").status_code == 403
    moved = writer.post(f"{LIST}{request.pk}/state/", {"state": "acknowledged"}, format="json")
    assert moved.status_code == 403  # a machine is nobody's owner
    assert writer.post(f"{LIST}{request.pk}/comments/", {"body": "x"}, format="json").status_code == 403
    assert _token(hr_admin, ["support:read"]).post(LIST, body, format="json").status_code == 403
    assert _token(hr_admin, ["coaching:read"]).get(LIST).status_code == 403
    assert APIClient().get(LIST).status_code == 401
    assert _person(org["seller"]).post(LIST, body, format="json").status_code == 403


def test_raising_with_an_idempotency_key_replays(org, outside):
    raiser = _person(org["owner"])
    body = {"title": "Slow CRM", "kind": "tool", "owner": outside["revops"].external_id}
    first = raiser.post(LIST, body, format="json", HTTP_IDEMPOTENCY_KEY="raise-1")
    again = raiser.post(LIST, body, format="json", HTTP_IDEMPOTENCY_KEY="raise-1")
    assert first.status_code == again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert SupportRequest.objects.count() == 1
    unknown = raiser.post(LIST, {**body, "owner": "NOPE"}, format="json")
    assert unknown.status_code == 400 and set(unknown.json()["errors"]) == {"owner"}
