"""userName and a group's displayName are unique without case, by Unicode case folding, on both databases
(SQLite's own lower() folds ASCII only), and the database refuses the second of two concurrent requests."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from rest_framework.test import APIClient

from enablement.api.clients.services import api_client_create
from enablement.models import Person
from enablement.scim import services
from enablement.scim.models import ScimGroup, ScimUser
from tests.enablement.factories import PersonFactory, UserFactory
from tests.scim.test_groups import GROUP
from tests.scim.test_users import _error, _patch, _send, _user_body

CASE_VARIANTS = [("X-émile", "X-ÉMILE"), ("åsa.öberg", "ÅSA.ÖBERG"), ("straße", "STRASSE"), ("jdoe", "JDOE")]


def _user(user_name: str, email: str) -> dict:
    return _user_body(user_name=user_name, email=email)


def _group(name: str) -> dict:
    return {"schemas": [GROUP], "displayName": name}


@pytest.mark.django_db
@pytest.mark.parametrize(("first", "second"), CASE_VARIANTS)
def test_user_name_differing_only_in_case_is_refused(scim, first, second):
    assert _send(scim, "POST", "Users", _user(first, "first@example.com")).status_code == 201

    body = _error(_send(scim, "POST", "Users", _user(second, "second@example.com")), 409, "uniqueness")

    assert "taken" in body["detail"]
    assert not get_user_model().objects.filter(username=second).exists()
    assert not Person.objects.filter(email="second@example.com").exists()


@pytest.mark.django_db
def test_user_name_of_a_login_made_outside_scim_is_refused_in_any_case(scim):
    PersonFactory(user=UserFactory(username="X-émile"))

    _error(_send(scim, "POST", "Users", _user("x-ÉMILE", "second@example.com")), 409, "uniqueness")


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_renaming_to_another_users_name_in_another_case_is_refused(scim, method):
    _send(scim, "POST", "Users", _user("X-émile", "first@example.com"))
    other = _send(scim, "POST", "Users", _user("other", "other@example.com")).json()["id"]
    body = _user("X-ÉMILE", "other@example.com")
    if method == "PATCH":
        body = _patch({"op": "replace", "path": "userName", "value": "X-ÉMILE"})

    _error(_send(scim, method, f"Users/{other}", body), 409, "uniqueness")

    assert get_user_model().objects.filter(person__pk=other).get().username == "other"


@pytest.mark.django_db
def test_a_user_may_change_the_case_of_their_own_name(scim):
    user = _send(scim, "POST", "Users", _user("X-émile", "first@example.com")).json()["id"]

    response = _send(scim, "PATCH", f"Users/{user}", _patch({"op": "replace", "path": "userName", "value": "X-Émile"}))

    assert response.status_code == 200, response.content
    assert ScimUser.objects.get(person__pk=user).user_name_key == "x-émile"


@pytest.mark.django_db
def test_a_name_given_up_outside_scim_is_free_again(scim):
    """A login renamed in the admin leaves its old key behind on the SCIM row: the next user of the name
    takes it over instead of getting a 409 for a name nobody has."""
    user = _send(scim, "POST", "Users", _user("jdoe", "first@example.com")).json()["id"]
    get_user_model().objects.filter(person__pk=user).update(username="jane")

    response = _send(scim, "POST", "Users", _user("JDOE", "second@example.com"))

    assert response.status_code == 201, response.content
    assert ScimUser.objects.get(person__pk=user).user_name_key == ""
    assert ScimUser.objects.get(person__pk=response.json()["id"]).user_name_key == "jdoe"


@pytest.mark.django_db
@pytest.mark.parametrize(("first", "second"), [("Équipe", "ÉQUIPE"), ("Straße", "STRASSE"), ("Champions", "CHAMPIONS")])
def test_group_name_differing_only_in_case_is_refused(scim, first, second):
    assert _send(scim, "POST", "Groups", _group(first)).status_code == 201
    renamed = Group.objects.create(name="Other")

    _error(_send(scim, "POST", "Groups", _group(second)), 409, "uniqueness")
    rename = _patch({"op": "replace", "path": "displayName", "value": second})
    _error(_send(scim, "PATCH", f"Groups/g-{renamed.pk}", rename), 409, "uniqueness")

    assert not Group.objects.filter(name=second).exists()


@pytest.mark.django_db
def test_filters_compare_non_ascii_letters_without_case(scim):
    _send(scim, "POST", "Users", _user("X-émile", "first@example.com"))
    _send(scim, "POST", "Groups", _group("Équipe Été"))

    users = _send(scim, "GET", "Users", filter='userName eq "x-ÉMILE"').json()
    groups = _send(scim, "GET", "Groups", filter='displayName sw "ÉQUIPE é"').json()

    assert [user["userName"] for user in users["Resources"]] == ["X-émile"]
    assert [group["displayName"] for group in groups["Resources"]] == ["Équipe Été"]
    assert _send(scim, "GET", "Users", filter='userName co "_"').json()["totalResults"] == 0  # no LIKE wildcard


# Two requests at once: the database decides, not the check before the write


def _scim_client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def _race(monkeypatch, check_name: str, requests: list) -> list:
    """Sends `requests` (method, path, body) from one thread each, every one held after its uniqueness
    check until all have passed theirs: each then writes a name the others' checks did not see."""
    _, token = api_client_create(name="Okta", scopes=["scim"], by=None)
    barrier = threading.Barrier(len(requests), timeout=20)
    check = getattr(services, check_name)

    def checked_then_held(*args, **kwargs):
        result = check(*args, **kwargs)
        barrier.wait()
        return result

    monkeypatch.setattr(services, check_name, checked_then_held)
    responses = [None] * len(requests)

    def send(index, method, path, body):
        try:
            responses[index] = _send(_scim_client(token), method, path, body)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(i, *request)) for i, request in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return responses


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite takes the write lock when a transaction begins (BEGIN IMMEDIATE): writers never overlap",
)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("first", "second"), [("Race-émile", "RACE-ÉMILE"), ("race", "race")])
def test_concurrent_users_with_the_same_name_one_is_created_one_is_a_409(monkeypatch, first, second):
    requests = [("POST", "Users", _user(first, "first@example.com")), ("POST", "Users", _user(second, "2@example.com"))]

    responses = _race(monkeypatch, "_check_user_name", requests)

    assert sorted(response.status_code for response in responses) == [201, 409], [r.content for r in responses]
    refused = _error(next(response for response in responses if response.status_code == 409), 409, "uniqueness")
    assert "just taken" in refused["detail"]  # by the database: both checks had passed
    assert ScimUser.objects.count() == Person.objects.count() == 1
    assert get_user_model().objects.filter(person__isnull=False).count() == 1


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_groups_with_the_same_name_one_is_created_one_is_a_409(monkeypatch):
    responses = _race(monkeypatch, "_check_group_name", [("POST", "Groups", _group(n)) for n in ("Équipe", "ÉQUIPE")])

    assert sorted(response.status_code for response in responses) == [201, 409], [r.content for r in responses]
    refused = _error(next(response for response in responses if response.status_code == 409), 409, "uniqueness")
    assert "just taken" in refused["detail"]
    assert ScimGroup.objects.count() == 1
    assert Group.objects.filter(name__in=["Équipe", "ÉQUIPE"]).count() == 1
