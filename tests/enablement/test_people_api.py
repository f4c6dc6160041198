"""The people and teams API with real tokens: bulk upsert by external id (per-row results and errors, dry
run, unchanged rows not rewritten, terminations), single create and update, scopes and who may write."""

import datetime

import pytest
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from enablement.api.clients.services import api_client_create, api_client_revoke
from enablement.models import Person
from managers.models import Acknowledgement, RoleAssignment
from tests.enablement.factories import PersonFactory, TeamFactory
from tests.managers.factories import RoleFactory

pytestmark = pytest.mark.django_db

BULK = "/api/v1/people/bulk/"


def _token_client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def hris(hr_admin):
    """The HR system's client: reads and writes people, with HR-admin rights."""
    _client, token = api_client_create(
        name="Workday", scopes=["people:read", "people:write"], by=hr_admin, hr_admin=True
    )
    return _token_client(token)


def _row(external_id: str, **fields) -> dict:
    base = {
        "external_id": external_id,
        "first_name": external_id.title(),
        "last_name": "Example",
        "email": f"{external_id.lower()}@example.com",
        "title": "Account Executive",
    }
    return {**base, **fields}


def _bulk(client: APIClient, rows: list, **extra):
    response = client.post(BULK, {"people": rows, **extra}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def _by_id(body: dict) -> dict:
    return {result["external_id"]: result for result in body["results"]}


def test_managers_in_any_order_roles_by_code_and_teams(hris):
    team = TeamFactory(external_id="T-EMEA")
    role = RoleFactory(code="fsm-mid-market")
    rows = [
        _row("seller", manager="manager", team="T-EMEA"),
        _row("manager", manager="director", team="T-EMEA", role="fsm-mid-market", title="Sales Manager"),
        _row("director", manager=None, title="Sales Director"),
    ]

    body = _bulk(hris, rows)

    assert body["summary"] == {"created": 3, "updated": 0, "unchanged": 0, "error": 0}
    assert [result["index"] for result in body["results"]] == [0, 1, 2]
    seller, manager, director = (Person.objects.get(external_id=key) for key in ("seller", "manager", "director"))
    assert seller.manager == manager and manager.manager == director and director.manager is None
    assert seller.team == team and seller.email == "seller@example.com"
    assert RoleAssignment.objects.get(person=manager, ended_on__isnull=True).role == role
    assert _by_id(body)["seller"]["id"] == seller.pk
    assert _by_id(body)["manager"]["status"] == "created"


def test_resending_an_unchanged_batch_writes_nothing(hris):
    TeamFactory(external_id="T-1")
    RoleFactory(code="fsm")
    rows = [_row("m", role="fsm", team="T-1"), _row("s", manager="m", team="T-1", start_date="2026-01-05")]
    _bulk(hris, rows)
    stamps = dict(Person.objects.values_list("external_id", "updated_at"))

    with CaptureQueriesContext(connection) as queries:
        body = _bulk(hris, list(reversed(rows)))

    assert body["summary"] == {"created": 0, "updated": 0, "unchanged": 2, "error": 0}
    assert all(result["changed_fields"] == [] for result in body["results"])
    assert dict(Person.objects.values_list("external_id", "updated_at")) == stamps
    writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "api_request_log" not in query["sql"]
        and "apirequestlog" not in query["sql"]
        and "apiclient" not in query["sql"]
    ]
    assert writes == []


def test_a_changed_field_is_all_that_is_written(hris):
    _bulk(hris, [_row("a"), _row("b")])
    before = Person.objects.get(external_id="b").updated_at

    body = _bulk(hris, [_row("a", title="Senior Account Executive"), _row("b")])

    assert _by_id(body)["a"] == {
        "index": 0,
        "external_id": "a",
        "status": "updated",
        "id": Person.objects.get(external_id="a").pk,
        "changed_fields": ["title"],
        "errors": {},
    }
    assert _by_id(body)["b"]["status"] == "unchanged"
    assert Person.objects.get(external_id="a").title == "Senior Account Executive"
    assert Person.objects.get(external_id="b").updated_at == before


def test_unknown_manager_is_refused_on_its_row_only(hris):
    body = _bulk(hris, [_row("a", manager="nobody"), _row("b")])

    assert _by_id(body)["a"]["status"] == "error"
    assert _by_id(body)["a"]["errors"] == {"manager": ["No person has external id nobody, stored or in this batch."]}
    assert _by_id(body)["a"]["id"] is None
    assert _by_id(body)["b"]["status"] == "created"
    assert not Person.objects.filter(external_id="a").exists()


def test_a_cycle_through_stored_people_is_refused(hris):
    _bulk(hris, [_row("top"), _row("mid", manager="top"), _row("low", manager="mid")])

    body = _bulk(hris, [_row("top", manager="low")])

    assert body["results"][0]["status"] == "error"
    assert body["results"][0]["errors"] == {"manager": ["This would make a reporting cycle: top → low → mid → top."]}
    assert Person.objects.get(external_id="top").manager is None


def test_a_cycle_inside_the_batch_refuses_its_rows(hris):
    body = _bulk(hris, [_row("x", manager="y"), _row("y", manager="x"), _row("z", manager="x")])

    results = _by_id(body)
    assert results["x"]["errors"] == {"manager": ["This would make a reporting cycle: x → y → x."]}
    assert results["y"]["errors"] == {"manager": ["This would make a reporting cycle: y → x → y."]}
    # z depends on x, which was refused: it is refused too, saying why.
    assert results["z"]["errors"] == {
        "manager": ["x is not written: its row has errors, so it cannot be the manager here."]
    }
    assert not Person.objects.exists()


def test_own_manager_is_refused(hris):
    body = _bulk(hris, [_row("self", manager="self")])

    assert body["results"][0]["errors"] == {"manager": ["A person cannot be their own manager."]}


def test_duplicate_external_ids_refuse_every_copy(hris):
    body = _bulk(hris, [_row("dup"), _row("ok"), _row("dup", title="Other")])

    assert body["results"][0]["errors"] == {
        "external_id": ["dup appears more than once in this batch (also at index 2); send it once."]
    }
    assert body["results"][2]["errors"] == {
        "external_id": ["dup appears more than once in this batch (also at index 0); send it once."]
    }
    assert body["results"][1]["status"] == "created"
    assert list(Person.objects.values_list("external_id", flat=True)) == ["ok"]


def test_invalid_and_taken_emails_are_refused_per_row(hris):
    PersonFactory(external_id="stored", email="taken@example.com", first_name="Sam", last_name="Stored")

    body = _bulk(
        hris,
        [
            _row("bad", email="not-an-email"),
            _row("clash", email="TAKEN@example.com"),
            _row("twin1", email="twin@example.com"),
            _row("twin2", email="twin@example.com"),
            _row("fine"),
        ],
    )

    results = _by_id(body)
    assert results["bad"]["errors"] == {"email": ["Enter a valid email address."]}
    assert results["clash"]["errors"] == {
        "email": ["taken@example.com is the email of Sam Stored (external id stored)."]
    }
    assert results["twin1"]["errors"] == {
        "email": ["twin@example.com is also the email of the row at index 3; emails are unique."]
    }
    assert results["twin2"]["status"] == "error"
    assert results["fine"]["status"] == "created"
    assert body["summary"] == {"created": 1, "updated": 0, "unchanged": 0, "error": 4}


def test_new_people_need_names_and_email_and_unknown_references_are_named(hris):
    body = _bulk(
        hris,
        [
            {"external_id": "bare"},
            _row("lost", team="T-NOWHERE"),
            _row("roleless", role="no-such-role"),
            _row("dated", end_date="2026-01-01"),
            "not an object",
            {"external_id": "x" * 101, "first_name": "A", "last_name": "B", "email": "ab@example.com"},
        ],
    )

    errors = [result["errors"] for result in body["results"]]
    required = ["This field is required to create a person."]
    assert errors[0] == {"first_name": required, "last_name": required, "email": required}
    assert errors[1] == {"team": ["No team has external id T-NOWHERE."]}
    assert errors[2] == {"role": ["No role has code no-such-role."]}
    assert errors[3] == {"end_date": ["Only a terminated person has an end date."]}
    assert errors[4] == {"non_field_errors": ["Each row must be an object."]}
    assert errors[5] == {"external_id": ["Ensure this field has no more than 100 characters."]}
    assert not Person.objects.exists()


def test_dry_run_reports_and_writes_nothing(hris):
    RoleFactory(code="fsm")
    _bulk(hris, [_row("a")])
    before = Person.objects.get().updated_at

    body = _bulk(
        hris, [_row("a", title="Changed"), _row("b", manager="a", role="fsm"), _row("c", manager="?")], dry_run=True
    )

    assert body["dry_run"] is True
    assert [result["status"] for result in body["results"]] == ["updated", "created", "error"]
    assert body["results"][0]["changed_fields"] == ["title"]
    assert list(Person.objects.values_list("external_id", "title", "updated_at")) == [
        ("a", "Account Executive", before)
    ]
    assert not RoleAssignment.objects.exists()


def test_a_refused_row_leaves_the_stored_person_as_it_was(hris):
    _bulk(hris, [_row("a", title="Before")])

    body = _bulk(hris, [_row("a", title="After", manager="ghost")])

    assert body["results"][0]["status"] == "error"
    assert Person.objects.get(external_id="a").title == "Before"


def test_fields_left_out_keep_their_value_and_null_clears(hris):
    team = TeamFactory(external_id="T-1")
    _bulk(hris, [_row("boss"), _row("a", manager="boss", team="T-1", title="AE")])

    _bulk(hris, [{"external_id": "a", "title": "Senior AE"}])
    person = Person.objects.get(external_id="a")
    assert (person.title, person.team, person.manager.external_id) == ("Senior AE", team, "boss")

    _bulk(hris, [{"external_id": "a", "manager": None, "team": None}])
    person.refresh_from_db()
    assert (person.team, person.manager) == (None, None)


def test_termination_ends_login_and_hands_coaching_work_up_the_line(hris, org):
    from coaching.services.plans import plan_create

    owner, seller, leader = org["owner"], org["seller"], org["leader"]
    plan = plan_create(coachee=seller, coach=owner, by=leader.user, period_start=timezone.localdate())
    assert plan.coach == owner

    body = _bulk(hris, [{"external_id": owner.external_id, "employment_status": "terminated"}])

    assert body["results"][0]["changed_fields"] == ["employment_status", "end_date"]
    owner.refresh_from_db()
    owner.user.refresh_from_db()
    assert owner.is_terminated and owner.end_date == timezone.localdate()
    assert owner.user.is_active is False
    plan.refresh_from_db()
    assert plan.coach == leader  # the leaver's manager takes over the plans they coached


def test_returning_person_gets_their_login_back(hris, org):
    seller = org["seller"]
    _bulk(hris, [{"external_id": seller.external_id, "employment_status": "terminated", "end_date": "2026-10-01"}])
    seller.refresh_from_db()
    assert seller.end_date == datetime.date(2026, 10, 1)

    body = _bulk(hris, [{"external_id": seller.external_id, "employment_status": "active"}])

    assert body["results"][0]["changed_fields"] == ["employment_status", "end_date"]
    seller.refresh_from_db()
    seller.user.refresh_from_db()
    assert (seller.employment_status, seller.end_date, seller.user.is_active) == ("active", None, True)


def test_a_leaver_cannot_become_a_manager_but_existing_reports_stay(hris):
    _bulk(hris, [_row("boss"), _row("report", manager="boss")])
    _bulk(hris, [{"external_id": "boss", "employment_status": "terminated"}])

    body = _bulk(hris, [_row("report", manager="boss"), _row("newcomer", manager="boss")])

    assert _by_id(body)["report"]["status"] == "unchanged"
    assert _by_id(body)["newcomer"]["errors"] == {"manager": ["boss has left the company, so cannot be a manager."]}


def test_changing_role_keeps_history_and_asks_for_the_new_charter(hris, charter, owner):
    new_role = charter["other_role"]
    old_assignment = RoleAssignment.objects.get(person=owner, ended_on__isnull=True)

    body = _bulk(hris, [{"external_id": owner.external_id, "role": new_role.code}])

    assert body["results"][0]["changed_fields"] == ["role"]
    old_assignment.refresh_from_db()
    assert old_assignment.ended_on == timezone.localdate()
    assert RoleAssignment.objects.get(person=owner, ended_on__isnull=True).role == new_role
    # The unanswered request for the old role's charter is gone (the new role has no published charter).
    assert not Acknowledgement.objects.filter(person=owner, acknowledged_at__isnull=True).exists()

    body = _bulk(hris, [{"external_id": owner.external_id, "role": None}])
    assert body["results"][0]["changed_fields"] == ["role"]
    assert not RoleAssignment.objects.filter(person=owner, ended_on__isnull=True).exists()


def test_role_assignment_requests_the_published_charter(hris, charter):
    body = _bulk(hris, [_row("newbie", role=charter["role"].code)])

    newbie = Person.objects.get(pk=body["results"][0]["id"])
    assert Acknowledgement.objects.filter(person=newbie, version=charter["version"], acknowledged_at=None).exists()


def test_a_database_refusal_writes_nothing_of_the_batch(hris, monkeypatch):
    RoleFactory(code="fsm")

    def refuse(**kwargs):
        raise IntegrityError("simulated concurrent write")

    monkeypatch.setattr("managers.people_sync.roles_assign_bulk", refuse)
    response = hris.post(BULK, {"people": [_row("a"), _row("b", role="fsm")]}, format="json")

    assert response.status_code == 409
    assert not Person.objects.exists()


def test_batch_size_limits(hris):
    too_many = [_row(f"p{index}") for index in range(1001)]

    response = hris.post(BULK, {"people": too_many}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["people"] == ["Ensure this field has no more than 1000 elements."]

    response = hris.post(BULK, {"people": []}, format="json")
    assert response.status_code == 400


def test_a_thousand_rows_run_a_fixed_number_of_queries(hris, django_assert_max_num_queries):
    TeamFactory(external_id="T-1")
    RoleFactory(code="fsm")
    managers = [_row(f"m{index}", role="fsm", team="T-1") for index in range(100)]
    sellers = [_row(f"s{index}", manager=f"m{index % 100}", team="T-1") for index in range(900)]

    with django_assert_max_num_queries(40):
        body = _bulk(hris, sellers + managers)
    assert body["summary"]["created"] == 1000

    changed = [{**row, "title": "Senior AE"} for row in sellers] + managers
    with django_assert_max_num_queries(40):
        body = _bulk(hris, changed)
    assert body["summary"] == {"created": 0, "updated": 900, "unchanged": 100, "error": 0}


# Single people and teams


def test_create_read_and_change_one_person(hris):
    TeamFactory(external_id="T-1")
    response = hris.post("/api/v1/people/", _row("solo", team="T-1"), format="json")
    assert response.status_code == 201, response.content
    person = response.json()
    assert (person["external_id"], person["team"], person["manager"], person["role"]) == ("solo", "T-1", None, None)

    again = hris.post("/api/v1/people/", _row("solo"), format="json")
    assert again.status_code == 400
    assert again.json()["errors"]["external_id"] == ["A person with this external id exists: change them with PATCH."]

    url = f"/api/v1/people/{person['id']}/"
    read = hris.get(url)
    etag = read["ETag"]
    changed = hris.patch(url, {"title": "Team Lead"}, format="json", HTTP_IF_MATCH=etag)
    assert changed.status_code == 200 and changed.json()["title"] == "Team Lead"
    stale = hris.patch(url, {"title": "Other"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert Person.objects.get(pk=person["id"]).title == "Team Lead"

    refused = hris.patch(url, {"manager": "ghost"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"]["manager"] == ["No person has external id ghost, stored or in this batch."]


def test_list_filters_and_bounded_queries(hris, django_assert_max_num_queries):
    RoleFactory(code="fsm")
    _bulk(hris, [_row(f"p{index}", manager="p0" if index else None, role="fsm") for index in range(30)])
    _bulk(hris, [{"external_id": "p29", "employment_status": "terminated"}])

    with django_assert_max_num_queries(8):
        page = hris.get("/api/v1/people/", {"page_size": 100}).json()
    assert page["count"] == 30
    assert {row["role"] for row in page["results"]} == {"fsm"}

    terminated = hris.get("/api/v1/people/", {"employment_status": "terminated"}).json()
    assert [row["external_id"] for row in terminated["results"]] == ["p29"]
    one = hris.get("/api/v1/people/", {"external_id": "p3"}).json()
    assert [row["manager"] for row in one["results"]] == ["p0"]


def test_teams_create_and_change_with_parent_by_external_id(hris):
    parent = hris.post("/api/v1/teams/", {"name": "EMEA", "external_id": "T-EMEA"}, format="json")
    assert parent.status_code == 201
    child = hris.post("/api/v1/teams/", {"name": "DACH", "external_id": "T-DACH", "parent": "T-EMEA"}, format="json")
    assert child.status_code == 201 and child.json()["parent"] == "T-EMEA"

    cycle = hris.patch(f"/api/v1/teams/{parent.json()['id']}/", {"parent": "T-DACH"}, format="json")
    assert cycle.status_code == 400
    assert cycle.json()["errors"]["parent"] == ["DACH is inside EMEA, so it cannot be its parent."]

    unknown = hris.post("/api/v1/teams/", {"name": "X", "parent": "T-NONE"}, format="json")
    assert unknown.status_code == 400 and "parent" in unknown.json()["errors"]


# Who may do what


def test_a_hiring_token_cannot_read_or_write_people(hr_admin):
    _client, token = api_client_create(name="ATS", scopes=["hiring:read"], by=hr_admin, hr_admin=True)
    client = _token_client(token)

    assert client.get("/api/v1/people/").status_code == 403
    assert client.get("/api/v1/teams/").status_code == 403
    assert client.post(BULK, {"people": [_row("a")]}, format="json").status_code == 403
    assert not Person.objects.exists()


def test_a_read_token_cannot_write(hr_admin):
    _client, token = api_client_create(name="BI", scopes=["people:read"], by=hr_admin, hr_admin=True)
    client = _token_client(token)

    assert client.get("/api/v1/people/").status_code == 200
    assert client.post(BULK, {"people": [_row("a")]}, format="json").status_code == 403


def test_a_write_token_without_hr_admin_rights_cannot_write(hr_admin):
    _client, token = api_client_create(name="Script", scopes=["people:read", "people:write"], by=hr_admin)
    response = _token_client(token).post(BULK, {"people": [_row("a")]}, format="json")

    assert response.status_code == 403
    assert response.json()["detail"] == "Only HR admins change people and teams."


def test_a_revoked_token_gets_401(hr_admin):
    client, token = api_client_create(name="Old", scopes=["people:read", "people:write"], by=hr_admin, hr_admin=True)
    api_client_revoke(client=client, by=hr_admin)

    assert _token_client(token).post(BULK, {"people": [_row("a")]}, format="json").status_code == 401


def test_a_managers_session_reads_their_tree_and_cannot_write(org):
    client = APIClient()
    client.force_login(org["owner"].user)

    people = client.get("/api/v1/people/", {"page_size": 100}).json()["results"]
    assert {row["external_id"] for row in people} == {org["owner"].external_id, org["seller"].external_id}
    assert client.post(BULK, {"people": [_row("a")]}, format="json").status_code == 403
    assert client.patch(f"/api/v1/people/{org['seller'].pk}/", {"title": "X"}, format="json").status_code == 403
    assert client.post("/api/v1/teams/", {"name": "Mine"}, format="json").status_code == 403
    assert not Person.objects.filter(external_id="a").exists()


def test_an_hr_admins_session_may_sync(hr_admin):
    client = APIClient()
    client.force_login(hr_admin)

    response = client.post(BULK, {"people": [_row("a")]}, format="json")
    assert response.status_code == 200
    assert response.json()["summary"]["created"] == 1


def test_anonymous_gets_401():
    assert APIClient().post(BULK, {"people": [_row("a")]}, format="json").status_code == 401


# Webhook events


@pytest.fixture
def endpoint(hr_admin):
    from enablement.webhooks.services import endpoint_create

    return endpoint_create(url="http://127.0.0.1:9/hooks", event_types=[], by=hr_admin)


def _events(kind: str | None = None) -> list[dict]:
    from enablement.webhooks.models import WebhookEvent

    events = WebhookEvent.objects.order_by("created_at", "id")
    return [event.payload for event in (events.filter(event_type=kind) if kind else events)]


def test_bulk_sync_announces_each_change_once_and_unchanged_rows_nothing(hris, endpoint):
    RoleFactory(code="fsm")
    _bulk(hris, [_row("boss", role="fsm"), _row("report", manager="boss")])

    created = _events("person.created")
    assert [(payload["external_id"], payload["manager"], payload["role"]) for payload in created] == [
        ("boss", None, "fsm"),
        ("report", "boss", None),
    ]

    _bulk(hris, [_row("boss", role="fsm"), _row("report", manager="boss")])
    assert len(_events()) == 2  # an unchanged batch announces nothing

    _bulk(
        hris, [_row("boss", role="fsm", title="Director"), {"external_id": "report", "employment_status": "terminated"}]
    )
    updated, terminated = _events("person.updated"), _events("person.terminated")
    assert [(payload["external_id"], payload["title"], payload["changed_fields"]) for payload in updated] == [
        ("boss", "Director", ["title"])
    ]
    assert [(payload["external_id"], payload["employment_status"]) for payload in terminated] == [
        ("report", "terminated")
    ]
    assert terminated[0]["end_date"] == timezone.localdate().isoformat()


def test_a_dry_run_and_a_refused_batch_announce_nothing(hris, endpoint, monkeypatch):
    RoleFactory(code="fsm")
    _bulk(hris, [_row("a")], dry_run=True)
    assert _events() == []

    monkeypatch.setattr(
        "managers.people_sync.roles_assign_bulk", lambda **kwargs: (_ for _ in ()).throw(IntegrityError("x"))
    )
    assert hris.post(BULK, {"people": [_row("b", role="fsm")]}, format="json").status_code == 409
    assert _events() == []


def test_single_writes_announce_like_the_bulk(hris, endpoint):
    response = hris.post("/api/v1/people/", _row("solo"), format="json")
    hris.patch(f"/api/v1/people/{response.json()['id']}/", {"title": "Lead"}, format="json")

    assert [payload["external_id"] for payload in _events("person.created")] == ["solo"]
    assert [payload["changed_fields"] for payload in _events("person.updated")] == [["title"]]


# Found in review: each of these was a 500, a loop or a wrong answer.


def test_a_non_string_external_id_is_a_row_error_not_a_500(hris):
    body = _bulk(hris, [{"external_id": ["x"]}, {"external_id": {"a": 1}}, _row("fine")])

    assert [result["status"] for result in body["results"]] == ["error", "error", "created"]
    assert body["results"][0]["external_id"] is None
    assert body["results"][0]["errors"] == {"external_id": ["Not a valid string."]}


def test_a_long_cycle_through_stored_people_is_refused(hris):
    chain = [_row("p0")] + [_row(f"p{index}", manager=f"p{index - 1}") for index in range(1, 70)]
    _bulk(hris, chain)

    body = _bulk(hris, [{"external_id": "p0", "manager": "p69"}])

    assert body["results"][0]["status"] == "error"
    assert body["results"][0]["errors"]["manager"][0].startswith("This would make a reporting cycle: p0 → p69 → p68")
    assert Person.objects.get(external_id="p0").manager is None


def test_a_long_cycle_of_new_rows_is_refused(hris):
    rows = [_row(f"n{index}", manager=f"n{(index + 1) % 70}") for index in range(70)]

    body = _bulk(hris, rows, dry_run=True)
    assert body["summary"]["error"] == 70
    body = _bulk(hris, rows)
    assert body["summary"]["error"] == 70 and not Person.objects.exists()


def test_a_refused_chain_is_refused_in_one_go(hris, django_assert_max_num_queries):
    rows = [_row("c0", manager="nowhere")] + [_row(f"c{index}", manager=f"c{index - 1}") for index in range(1, 1000)]

    with django_assert_max_num_queries(20):
        body = _bulk(hris, list(reversed(rows)))

    assert body["summary"]["error"] == 1000
    assert _by_id(body)["c0"]["errors"] == {"manager": ["No person has external id nowhere, stored or in this batch."]}
    assert _by_id(body)["c999"]["errors"] == {
        "manager": ["c998 is not written: its row has errors, so it cannot be the manager here."]
    }


def test_a_conflict_is_not_replayed_for_an_idempotency_key(hris, monkeypatch):
    RoleFactory(code="fsm")
    calls = []

    def refuse_once(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise IntegrityError("simulated concurrent write")
        from managers.services.role_assignments import roles_assign_bulk

        return roles_assign_bulk(**kwargs)

    monkeypatch.setattr("managers.people_sync.roles_assign_bulk", refuse_once)
    body = {"people": [_row("a", role="fsm")]}

    first = hris.post(BULK, body, format="json", HTTP_IDEMPOTENCY_KEY="sync-1")
    retry = hris.post(BULK, body, format="json", HTTP_IDEMPOTENCY_KEY="sync-1")

    assert first.status_code == 409
    assert retry.status_code == 200 and "Idempotent-Replayed" not in retry
    assert retry.json()["summary"]["created"] == 1


def test_a_stored_email_in_another_case_is_a_row_error(hris):
    PersonFactory(external_id="legacy", email="Mixed.Case@Example.com", first_name="Lee", last_name="Gacy")

    body = _bulk(hris, [_row("new", email="mixed.case@example.com")])

    assert body["results"][0]["errors"] == {
        "email": ["Mixed.Case@Example.com is the email of Lee Gacy (external id legacy)."]
    }


def test_terminations_need_an_end_date_that_has_come(hris):
    _bulk(hris, [_row("a"), _row("b")])
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()

    body = _bulk(
        hris,
        [
            {"external_id": "a", "employment_status": "terminated", "end_date": None},
            {"external_id": "b", "employment_status": "terminated", "end_date": tomorrow},
        ],
    )

    assert body["results"][0]["errors"] == {
        "end_date": ["A terminated person has an end date: send it, or leave it out for today."]
    }
    assert body["results"][1]["errors"] == {
        "end_date": ["Send a termination on or after the end date: it ends the login at once."]
    }
    assert body["results"][1]["id"] == Person.objects.get(external_id="b").pk
    assert not Person.objects.filter(employment_status="terminated").exists()


def test_a_role_assigned_on_the_pages_is_announced(endpoint, org):
    from managers.services.charters import role_assign

    role = RoleFactory(code="fsm-x")
    role_assign(person=org["seller"], role=role, on=timezone.localdate(), by=None)

    assert [(payload["external_id"], payload["role"], payload["changed_fields"]) for payload in _events()] == [
        (org["seller"].external_id, "fsm-x", ["role"])
    ]


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin"])
def test_the_person_payload_is_what_the_api_fields_describe(hris, zone):
    """`person_payload` (events and the API) gives exactly what DRF's fields of PersonSerializer (the schema)
    would: the same keys in the same order, the same values and formats, in any time zone."""
    from rest_framework import serializers

    from enablement.api.people.serializers import PersonSerializer
    from enablement.org.extensions import with_extensions
    from enablement.org.payloads import person_payload

    RoleFactory(code="fsm")
    TeamFactory(external_id="T-1")
    TeamFactory(external_id="")
    _bulk(hris, [_row("boss", role="fsm", team="T-1"), _row("report", manager="boss", start_date="2026-01-05")])
    _bulk(hris, [{"external_id": "report", "employment_status": "terminated"}])
    Person.objects.filter(external_id="boss").update(team=TeamFactory(external_id=""))  # a team without a key

    with timezone.override(zone):
        for person in with_extensions(Person.objects.select_related("team", "manager")):
            fields = serializers.Serializer.to_representation(PersonSerializer(), person)
            assert list(person_payload(person).items()) == list(fields.items())


def test_person_writes_depend_on_no_api_layer():
    """The org's write services and their events import neither DRF nor `enablement.api`."""
    import ast
    import importlib
    from pathlib import Path

    for name in ("rules", "services", "people_sync", "events", "payloads"):
        module = importlib.import_module(f"enablement.org.{name}")
        tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        assert not {m for m in imported if m.startswith(("enablement.api", "rest_framework"))}, name
