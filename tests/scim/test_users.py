"""SCIM Users: a person with a login. Create, read, filter, page, PATCH, PUT, DELETE, and who is untouchable."""

import json

import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from enablement.accounts import policy, roles
from enablement.api.clients.services import api_client_create
from enablement.models import ApiRequestLog, Person
from enablement.scim.models import ScimUser
from tests.enablement.factories import PersonFactory, TeamFactory, UserFactory
from tests.scim.conftest import SCIM_JSON

pytestmark = pytest.mark.django_db

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR = "urn:ietf:params:scim:api:messages:2.0:Error"


def _send(scim, method: str, path: str, body: dict | None = None, **params):
    data = json.dumps(body) if body is not None else None
    call = getattr(scim, method.lower())
    if method == "GET":
        return call(f"/scim/v2/{path}", params)
    return call(f"/scim/v2/{path}", data=data, content_type=SCIM_JSON)


def _user_body(user_name="jdoe@example.com", email="jdoe@example.com", **extra) -> dict:
    body = {
        "schemas": [USER],
        "userName": user_name,
        "name": {"givenName": "Jane", "familyName": "Doe"},
        "emails": [{"value": email, "type": "work", "primary": True}],
    }
    return {**body, **extra}


def _patch(*operations) -> dict:
    return {"schemas": [PATCH_OP], "Operations": list(operations)}


def _error(response, status: int, scim_type: str | None = None) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == SCIM_JSON
    body = response.json()
    assert body["schemas"] == [ERROR] and body["status"] == str(status)
    assert body.get("scimType") == scim_type
    return body


@pytest.fixture
def jane(scim):
    response = _send(scim, "POST", "Users", _user_body(externalId="okta-1"))
    assert response.status_code == 201, response.content
    return Person.objects.get(pk=response.json()["id"])


# Creating


def test_a_client_that_checks_csrf_still_creates_with_a_token(scim_token):
    """The SCIM route is imported on its first request (enablement/scim/urls.py): it stays exempt from CSRF, as a
    token's requests need no cookie."""
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {scim_token[1]}")
    response = _send(client, "POST", "Users", _user_body(externalId="okta-csrf"))
    assert response.status_code == 201, response.content


def test_user_create_makes_a_person_and_their_login(scim):
    team = TeamFactory(name="Enterprise")
    manager = PersonFactory(user=UserFactory(username="boss"))
    body = _user_body(
        title="Account Executive",
        externalId="00u1",
        active=True,
        **{
            "schemas": [USER, ENTERPRISE],
            ENTERPRISE: {"employeeNumber": "E-42", "department": "enterprise", "manager": {"value": str(manager.pk)}},
        },
    )

    response = _send(scim, "POST", "Users", body)

    assert response.status_code == 201, response.content
    assert response["Content-Type"] == SCIM_JSON
    data = response.json()
    person = Person.objects.select_related("user").get(pk=data["id"])
    assert response["Location"] == f"http://testserver/scim/v2/Users/{person.pk}"
    assert (person.external_id, person.email, person.title) == ("E-42", "jdoe@example.com", "Account Executive")
    assert (person.first_name, person.last_name, person.team, person.manager) == ("Jane", "Doe", team, manager)
    assert person.user.username == "jdoe@example.com" and person.user.is_active
    assert not person.user.has_usable_password()
    assert data["externalId"] == "00u1" and data["active"] is True
    assert data[ENTERPRISE] == {
        "employeeNumber": "E-42",
        "department": "Enterprise",
        "manager": {"value": str(manager.pk), "$ref": f"http://testserver/scim/v2/Users/{manager.pk}"},
    }


def test_user_create_without_employee_number_derives_a_stable_one_it_does_not_report(scim, jane):
    assert jane.external_id.startswith("scim-") and len(jane.external_id) == 37
    assert ScimUser.objects.get(person=jane).employee_number_unset
    data = _send(scim, "GET", f"Users/{jane.pk}").json()
    assert ENTERPRISE not in data
    assert "active" not in data  # never set by the IdP: the login is active, SCIM reports no value

    _send(scim, "PATCH", f"Users/{jane.pk}", _patch({"op": "replace", "path": "title", "value": "AE"}))

    jane.refresh_from_db()
    assert jane.external_id.startswith("scim-") and jane.title == "AE"


def test_user_create_with_an_unknown_department_creates_that_team(scim):
    body = _user_body(**{"schemas": [USER, ENTERPRISE], ENTERPRISE: {"department": "Channel Sales"}})

    response = _send(scim, "POST", "Users", body)

    assert response.status_code == 201
    assert Person.objects.get(pk=response.json()["id"]).team.name == "Channel Sales"


@pytest.mark.parametrize("user_name", ["api:1234abcd", "jane:doe"])
def test_user_create_refuses_a_user_name_with_a_colon(scim, user_name):
    body = _error(_send(scim, "POST", "Users", _user_body(user_name=user_name)), 400, "invalidValue")

    assert ":" in body["detail"]
    assert not get_user_model().objects.filter(username=user_name).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"userName": "JDOE@example.com", "emails": [{"value": "other@example.com"}]}, "userName"),
        ({"userName": "other", "emails": [{"value": "JDoe@Example.com"}]}, "email"),
        (
            {"userName": "other", "emails": [{"value": "o@example.com"}], ENTERPRISE: {"employeeNumber": "E-1"}},
            "employee",
        ),
    ],
)
def test_user_create_refuses_a_taken_value_with_409_uniqueness(scim, change, field):
    PersonFactory(external_id="E-1", email="x@example.com")
    assert _send(scim, "POST", "Users", _user_body()).status_code == 201
    body = _user_body(**change)
    if ENTERPRISE in change:
        body["schemas"] = [USER, ENTERPRISE]

    response = _error(_send(scim, "POST", "Users", body), 409, "uniqueness")

    assert field.lower() in response["detail"].lower()
    assert Person.objects.count() == 2


def test_user_create_that_fails_writes_nothing(scim):
    leaver = PersonFactory(employment_status=Person.EmploymentStatus.TERMINATED)
    body = _user_body(**{"schemas": [USER, ENTERPRISE], ENTERPRISE: {"manager": {"value": str(leaver.pk)}}})

    body = _error(_send(scim, "POST", "Users", body), 400, "invalidValue")

    assert "has left" in body["detail"]
    assert not get_user_model().objects.filter(username="jdoe@example.com").exists()
    assert not ScimUser.objects.exists()


def test_user_create_refuses_a_body_without_the_required_attributes(scim):
    _error(_send(scim, "POST", "Users", {"schemas": [USER], "userName": "x"}), 400, "invalidValue")


def test_user_create_accepts_attributes_it_does_not_keep(scim):
    body = _user_body(nickName="JJ", phoneNumbers=[{"value": "+1 555", "type": "work"}], displayName="Jane D")

    assert _send(scim, "POST", "Users", body).status_code == 201


# Reading and searching


def test_user_read_answers_the_scim_representation(scim, jane):
    response = _send(scim, "GET", f"Users/{jane.pk}")

    assert response.status_code == 200 and response["Content-Type"] == SCIM_JSON
    data = response.json()
    assert data["id"] == str(jane.pk) and data["userName"] == "jdoe@example.com"
    assert data["name"] == {"givenName": "Jane", "familyName": "Doe"} and data["displayName"] == "Jane Doe"
    assert data["emails"] == [{"value": "jdoe@example.com", "type": "work"}]
    assert data["meta"]["resourceType"] == "User"
    assert data["meta"]["location"] == f"http://testserver/scim/v2/Users/{jane.pk}"


def test_user_read_lists_the_login_groups(scim, jane):
    jane.user.groups.add(roles_group := _group(roles.SALES_MANAGER))

    data = _send(scim, "GET", f"Users/{jane.pk}").json()

    assert data["groups"] == [
        {
            "value": f"g-{roles_group.pk}",
            "$ref": f"http://testserver/scim/v2/Groups/g-{roles_group.pk}",
            "display": roles.SALES_MANAGER,
        }
    ]


def test_user_read_honours_attributes(scim, jane):
    data = _send(scim, "GET", f"Users/{jane.pk}", attributes="userName").json()

    assert set(data) == {"schemas", "id", "userName"}


def _group(name):
    from django.contrib.auth.models import Group

    return Group.objects.get(name=name)


@pytest.fixture
def people(scim):
    """Three SCIM users plus a person without a login, a leaver, a superuser's person and an API client."""
    enterprise = TeamFactory(name="Enterprise")
    ada = PersonFactory(
        first_name="Ada",
        last_name="Lovelace",
        email="ada@example.com",
        external_id="E-1",
        team=enterprise,
        user=UserFactory(username="ada"),
    )
    bob = PersonFactory(
        first_name="Bob",
        last_name="Builder",
        email="bob@example.com",
        external_id="E-2",
        manager=ada,
        user=UserFactory(username="bob.builder", is_active=False),
    )
    cy = PersonFactory(
        first_name="Cy", last_name="Adams", email="cy@corp.example", external_id="E-3", user=UserFactory(username="cy")
    )
    PersonFactory(first_name="No", last_name="Login")
    PersonFactory(employment_status=Person.EmploymentStatus.TERMINATED, user=UserFactory(username="gone"))
    root = PersonFactory(user=UserFactory(username="root", is_superuser=True))
    client, _ = api_client_create(name="Workday", scopes=["people:read"], by=None)
    return {"ada": ada, "bob": bob, "cy": cy, "root": root, "client": client}


@pytest.mark.parametrize(
    ("scim_filter", "expected"),
    [
        ('userName eq "ADA"', ["ada"]),
        ('userName sw "bob"', ["bob"]),
        ('userName co "."', ["bob"]),
        ('emails co "@corp"', ["cy"]),
        ('emails[type eq "work" and value eq "BOB@example.com"]', ["bob"]),
        ('emails.value ew "example.com"', ["ada", "bob"]),
        ('name.givenName eq "ada" or name.familyName sw "Ad"', ["ada", "cy"]),
        ('displayName eq "Cy Adams"', ["cy"]),
        ("active eq false", ["bob"]),
        ('active eq true and not (userName eq "cy")', ["ada"]),
        (f'{ENTERPRISE}:employeeNumber eq "E-2"', ["bob"]),
        (f'{ENTERPRISE}:department eq "enterprise"', ["ada"]),
        (f"{ENTERPRISE}:department pr", ["ada"]),
        ("title pr", ["ada", "bob", "cy"]),
        ('externalId eq "nope"', []),
        ('meta.created gt "2000-01-01T00:00:00Z"', ["ada", "bob", "cy"]),
    ],
)
def test_user_search_filters_in_the_database(scim, people, scim_filter, expected):
    response = _send(scim, "GET", "Users", filter=scim_filter)

    assert response.status_code == 200, response.content
    data = response.json()
    assert sorted(user["userName"].split(".")[0] for user in data["Resources"]) == expected
    assert data["totalResults"] == len(expected)


def test_user_search_by_manager(scim, people):
    data = _send(scim, "GET", "Users", filter=f'{ENTERPRISE}:manager.value eq "{people["ada"].pk}"').json()

    assert [user["userName"] for user in data["Resources"]] == ["bob.builder"]


@pytest.mark.parametrize("scim_filter", ['userName eq "x', "nickName eq 1", 'bogus eq "x"', "active gt true"])
def test_user_search_refuses_an_invalid_filter(scim, people, scim_filter):
    _error(_send(scim, "GET", "Users", filter=scim_filter), 400, "invalidFilter")


def test_user_search_leaves_out_people_scim_may_not_touch(scim, people):
    data = _send(scim, "GET", "Users").json()

    assert sorted(user["userName"] for user in data["Resources"]) == ["ada", "bob.builder", "cy"]


def test_user_search_pages_with_start_index_and_count(scim, people):
    data = _send(scim, "GET", "Users", startIndex=2, count=1).json()

    assert (data["totalResults"], data["startIndex"], data["itemsPerPage"]) == (3, 2, 1)
    assert data["Resources"][0]["userName"] == "bob.builder"
    beyond = _send(scim, "GET", "Users", startIndex=9).json()
    assert (beyond["totalResults"], beyond.get("Resources", [])) == (3, [])
    assert _send(scim, "GET", "Users", count=0).json()["totalResults"] == 3


def test_user_search_with_post(scim, people):
    search = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], "filter": 'userName eq "cy"'}

    response = scim.post("/scim/v2/Users/.search", data=json.dumps(search), content_type=SCIM_JSON)

    assert [user["userName"] for user in response.json()["Resources"]] == ["cy"]


@pytest.mark.parametrize("size", [3, 30])
def test_user_search_costs_the_same_queries_whatever_the_page_size(scim, size, django_assert_max_num_queries):
    team = TeamFactory()
    leader = PersonFactory(user=UserFactory())
    for _ in range(size):
        login = UserFactory(roles=[roles.SALES_MANAGER])
        PersonFactory(team=team, manager=leader, user=login)

    with django_assert_max_num_queries(6):
        response = _send(scim, "GET", "Users", count=100)

    assert response.json()["totalResults"] == size + 1


# Changing


def test_user_patch_active_false_ends_the_login_not_the_employment(scim, jane):
    response = _send(scim, "PATCH", f"Users/{jane.pk}", _patch({"op": "replace", "path": "active", "value": False}))

    assert response.status_code == 200 and response.json()["active"] is False
    jane.refresh_from_db()
    jane.user.refresh_from_db()
    assert not jane.user.is_active and jane.employment_status == Person.EmploymentStatus.ACTIVE


def test_user_patch_without_path_replaces_several_attributes(scim, jane):
    operation = {"op": "replace", "value": {"active": False, "name.givenName": "Janet", "title": "AE"}}

    response = _send(scim, "PATCH", f"Users/{jane.pk}", _patch(operation))

    assert response.status_code == 200, response.content
    jane.refresh_from_db()
    assert (jane.first_name, jane.title, jane.user.is_active) == ("Janet", "AE", False)


def test_user_patch_add_and_remove(scim, jane):
    _send(scim, "PATCH", f"Users/{jane.pk}", _patch({"op": "add", "path": "title", "value": "SDR"}))
    jane.refresh_from_db()
    assert jane.title == "SDR"

    response = _send(scim, "PATCH", f"Users/{jane.pk}", _patch({"op": "remove", "path": "title"}))

    assert "title" not in response.json()
    jane.refresh_from_db()
    assert jane.title == ""


def test_user_patch_refuses_a_manager_cycle_with_the_service_message(scim, jane):
    report = PersonFactory(manager=jane, user=UserFactory(username="report"))
    operation = {"op": "replace", "path": f"{ENTERPRISE}:manager", "value": {"value": str(report.pk)}}

    body = _error(_send(scim, "PATCH", f"Users/{jane.pk}", _patch(operation)), 400, "invalidValue")

    assert body["detail"] == f"manager: This would make a reporting cycle: Jane Doe → {report} → Jane Doe."
    jane.refresh_from_db()
    assert jane.manager is None


def test_user_patch_refuses_a_taken_email(scim, jane):
    PersonFactory(email="taken@example.com")
    operation = {"op": "replace", "path": "emails", "value": [{"value": "Taken@example.com", "primary": True}]}

    _error(_send(scim, "PATCH", f"Users/{jane.pk}", _patch(operation)), 409, "uniqueness")


def test_user_patch_removing_the_employee_number_keeps_the_key_and_reports_none(scim):
    body = _user_body(**{"schemas": [USER, ENTERPRISE], ENTERPRISE: {"employeeNumber": "E-9"}})
    person_id = _send(scim, "POST", "Users", body).json()["id"]
    remove = _patch({"op": "remove", "path": f"{ENTERPRISE}:employeeNumber"})

    response = _send(scim, "PATCH", f"Users/{person_id}", remove)

    assert response.status_code == 200 and ENTERPRISE not in response.json()
    assert Person.objects.get(pk=person_id).external_id == "E-9"  # HR may key the person by it
    search = _send(scim, "GET", "Users", filter=f'{ENTERPRISE}:employeeNumber eq "E-9"').json()
    assert search["totalResults"] == 0


def test_user_put_replaces_the_user(scim, jane):
    body = _user_body(user_name="jane.doe", email="jane.doe@example.com", active=False, title="Manager")

    response = _send(scim, "PUT", f"Users/{jane.pk}", body)

    assert response.status_code == 200, response.content
    jane.refresh_from_db()
    jane.user.refresh_from_db()
    assert (jane.user.username, jane.email, jane.title, jane.user.is_active) == (
        "jane.doe",
        "jane.doe@example.com",
        "Manager",
        False,
    )
    assert "externalId" not in response.json()  # PUT replaces: the externalId it left out is gone


def test_user_put_refuses_a_colon_in_the_new_user_name(scim, jane):
    _error(_send(scim, "PUT", f"Users/{jane.pk}", _user_body(user_name="api:evil")), 400, "invalidValue")

    jane.user.refresh_from_db()
    assert jane.user.username == "jdoe@example.com"


# Deleting


def test_user_delete_terminates_the_person_and_then_answers_404(scim, jane):
    response = _send(scim, "DELETE", f"Users/{jane.pk}")

    assert response.status_code == 204
    jane.refresh_from_db()
    jane.user.refresh_from_db()
    assert jane.is_terminated and jane.end_date is not None and not jane.user.is_active
    _error(_send(scim, "GET", f"Users/{jane.pk}"), 404)
    _error(_send(scim, "DELETE", f"Users/{jane.pk}"), 404)


# Who SCIM may not touch


@pytest.mark.parametrize(
    ("method", "body"),
    [
        ("GET", None),
        ("PATCH", _patch({"op": "replace", "path": "active", "value": False})),
        ("PUT", _user_body(user_name="root2")),
        ("DELETE", None),
    ],
)
def test_a_superusers_person_is_not_a_scim_user(scim, people, method, body):
    root = people["root"]

    _error(_send(scim, method, f"Users/{root.pk}", body), 404)

    root.refresh_from_db()
    root.user.refresh_from_db()
    assert root.user.is_active and root.user.username == "root" and not root.is_terminated


def test_an_api_clients_account_is_not_a_scim_user(scim, people):
    login = people["client"].user

    assert _send(scim, "GET", "Users", filter=f'userName eq "{login.username}"').json()["totalResults"] == 0
    assert _send(scim, "GET", "Users", filter='userName eq "root"').json()["totalResults"] == 0


def test_user_create_cannot_take_over_an_existing_login(scim, people):
    _error(_send(scim, "POST", "Users", _user_body(user_name="ROOT")), 409, "uniqueness")
    _error(_send(scim, "POST", "Users", _user_body(user_name=people["client"].user.username)), 400, "invalidValue")


# Authentication and the protocol


def test_scim_refuses_a_request_without_a_token(client):
    response = client.get("/scim/v2/Users")

    _error(response, 401)
    assert response["WWW-Authenticate"] == 'Bearer realm="SCIM"'


def test_scim_refuses_a_wrong_token(client):
    response = client.get("/scim/v2/Users", HTTP_AUTHORIZATION="Bearer ema_00000000_" + "x" * 43)

    _error(response, 401)
    assert "WWW-Authenticate" in response


def test_scim_refuses_a_token_without_the_scim_scope(client):
    _, token = api_client_create(name="Workday", scopes=["people:write"], by=None)

    _error(client.get("/scim/v2/Users", HTTP_AUTHORIZATION=f"Bearer {token}"), 403)


def test_scim_refuses_a_browser_session(client, hr_admin):
    client.force_login(hr_admin)

    _error(client.get("/scim/v2/Users"), 401)


def test_service_provider_config_is_open_and_announces_the_capabilities(client):
    data = client.get("/scim/v2/ServiceProviderConfig").json()

    assert data["patch"]["supported"] and data["filter"] == {"supported": True, "maxResults": 200}
    assert not data["bulk"]["supported"] and not data["sort"]["supported"]
    assert data["authenticationSchemes"][0]["type"] == "oauthbearertoken"


def test_schemas_and_resource_types_are_published(scim):
    schemas = {schema["id"] for schema in _send(scim, "GET", "Schemas").json()["Resources"]}
    types = {rt["name"]: rt for rt in _send(scim, "GET", "ResourceTypes").json()["Resources"]}

    assert {USER, ENTERPRISE, "urn:ietf:params:scim:schemas:core:2.0:Group"} <= schemas
    assert types["User"]["schemaExtensions"] == [{"schema": ENTERPRISE, "required": False}]
    assert set(types) == {"User", "Group"}
    assert _send(scim, "GET", f"Schemas/{USER}").status_code == 200


def test_scim_answers_405_for_a_method_an_endpoint_lacks(scim):
    response = _send(scim, "DELETE", "Users")

    _error(response, 405)
    assert "POST" in response["Allow"]


def test_scim_answers_413_for_a_body_over_a_megabyte(scim):
    body = _user_body(title="x" * (1024 * 1024))

    _error(_send(scim, "POST", "Users", body), 413)
    assert not Person.objects.exists()


def test_scim_requests_are_in_the_api_request_log(scim, scim_token, jane):
    _send(scim, "GET", f"Users/{jane.pk}")

    log = ApiRequestLog.objects.filter(client=scim_token[0]).order_by("pk").last()
    assert (log.method, log.path, log.status_code) == ("GET", f"/scim/v2/Users/{jane.pk}", 200)


def test_scim_hr_admin_group_grants_hr_admin(scim, jane):
    """The documented consequence: the scim scope is as powerful as an HR admin."""
    group = _group(roles.HR_ADMIN)
    operation = {"op": "add", "path": "members", "value": [{"value": str(jane.pk)}]}

    assert _send(scim, "PATCH", f"Groups/g-{group.pk}", _patch(operation)).status_code == 200

    assert policy.is_hr_admin(get_user_model().objects.get(pk=jane.user_id))


def test_user_create_keeps_the_primary_of_several_emails(scim):
    emails = [{"value": "home@example.net", "type": "home"}, {"value": "Work@Example.com", "primary": True}]

    response = _send(scim, "POST", "Users", _user_body(emails=emails))

    assert response.json()["emails"] == [{"value": "work@example.com", "type": "work"}]


def test_user_create_links_the_person_hr_synced_without_a_login(scim):
    synced = PersonFactory(external_id="E-7", email="jdoe@example.com", first_name="J", user=None)
    body = _user_body(**{"schemas": [USER, ENTERPRISE], ENTERPRISE: {"employeeNumber": "E-7"}})

    response = _send(scim, "POST", "Users", body)

    assert response.status_code == 201, response.content
    assert response.json()["id"] == str(synced.pk)
    synced.refresh_from_db()
    assert synced.user.username == "jdoe@example.com" and synced.first_name == "Jane"
    assert Person.objects.count() == 1


def test_linking_keeps_what_hr_synced_and_the_first_request_does_not_state(scim, endpoint_for_events):
    from enablement.webhooks.models import WebhookEvent

    team, boss = TeamFactory(name="EMEA"), PersonFactory(external_id="BOSS")
    synced = PersonFactory(external_id="E-7", email="jdoe@example.com", title="AE", team=team, manager=boss, user=None)
    body = _user_body(**{"schemas": [USER, ENTERPRISE], ENTERPRISE: {"employeeNumber": "E-7"}})
    body.pop("title", None)

    assert _send(scim, "POST", "Users", body).status_code == 201

    synced.refresh_from_db()
    assert (synced.title, synced.team, synced.manager) == ("AE", team, boss)
    updated = WebhookEvent.objects.filter(event_type="person.updated")
    assert [sorted(event.payload["changed_fields"]) for event in updated] == [["first_name", "has_login", "last_name"]]


def test_user_create_does_not_link_on_the_employee_number_alone(scim):
    PersonFactory(external_id="E-7", email="someone.else@example.com", user=None)
    body = _user_body(**{"schemas": [USER, ENTERPRISE], ENTERPRISE: {"employeeNumber": "E-7"}})

    _error(_send(scim, "POST", "Users", body), 409, "uniqueness")

    assert not get_user_model().objects.filter(username="jdoe@example.com").exists()


def test_scim_answers_429_with_retry_after_over_the_rate(scim, settings, jane):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"burst": "1/min"}}

    response = _send(scim, "GET", f"Users/{jane.pk}")

    _error(response, 429)
    assert int(response["Retry-After"]) >= 0


@pytest.fixture
def endpoint_for_events(hr_admin):
    from enablement.webhooks.services import endpoint_create

    return endpoint_create(url="http://127.0.0.1:9/hooks", by=hr_admin)


@pytest.mark.parametrize("bad_id", ["²", "١", "99999999999999999999"])
def test_ids_that_are_not_plain_digits_are_not_found_rather_than_500s(scim, jane, bad_id):
    assert _send(scim, "GET", f"Users/{bad_id}").status_code == 404
    assert _send(scim, "GET", "Users", filter=f'id eq "{bad_id}"').json()["totalResults"] == 0
    patch = _patch({"op": "replace", "path": f"{ENTERPRISE}:manager", "value": {"value": bad_id}})
    assert _send(scim, "PATCH", f"Users/{jane.pk}", patch).status_code == 400


def test_a_boolean_filter_given_a_string_is_an_invalid_filter(scim, jane):
    _error(_send(scim, "GET", "Users", filter='active eq "true"'), 400, "invalidFilter")
