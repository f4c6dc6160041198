"""API clients: tokens shown once and stored hashed, bearer authentication against the real endpoints,
scopes, revocation, the request log, the HR admin pages, the admin and `create_api_token`."""

import hashlib
import io
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from enablement.accounts import policy, roles
from enablement.api.clients.services import api_client_authenticate, api_client_create, api_client_revoke
from enablement.api.scopes import API_SCOPES
from enablement.models import ApiClient, ApiRequestLog
from managers.models import Requisition

pytestmark = pytest.mark.django_db


def _token_client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def _secret(token: str) -> str:
    return token.split("_", 2)[2]


@pytest.fixture
def hiring_reader(hr_admin):
    """An HR system's client that may read hiring data, and its token."""
    return api_client_create(name="Workday", scopes=["hiring:read"], by=hr_admin, hr_admin=True)


# The token: shown once, stored hashed.


def test_api_client_create_returns_the_token_once_and_stores_only_its_hash(hr_admin):
    client, token = api_client_create(name="Workday", scopes=["people:read", "hiring:read"], by=hr_admin)

    kind, prefix, secret = token.split("_", 2)
    assert (kind, prefix, len(secret)) == ("ema", client.prefix, 43)
    stored = ApiClient.objects.get(pk=client.pk)
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert stored.scopes == frozenset({"people:read", "hiring:read"})
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiClient._meta.db_table}")  # noqa: S608 - a model's own table name
        rows = cursor.fetchall()
    assert rows and not any(secret in str(value) for row in rows for value in row)


def test_api_client_create_makes_a_machine_account_nobody_can_sign_in_as(hr_admin):
    client, _ = api_client_create(name="Workday", scopes=["people:read"], by=hr_admin, hr_admin=True)

    account = client.user
    assert account.username == f"api:{client.prefix}"
    assert not account.has_usable_password()
    assert (account.email, account.is_staff, account.is_superuser) == ("", False, False)
    assert policy.is_api_client(account) and policy.is_hr_admin(account)
    assert not policy.can_manage_api_clients(account)
    assert not policy.is_api_client(hr_admin)
    plain, _ = api_client_create(name="LMS", scopes=["competencies:read"], by=hr_admin)
    assert not policy.is_hr_admin(plain.user)


@pytest.mark.parametrize(
    ("name", "scopes", "field"),
    [("Workday", ["people:read", "payroll:read"], "scopes"), ("Workday", [], "scopes"), ("  ", ["scim"], "name")],
)
def test_api_client_create_refuses_unknown_or_no_scopes_and_a_blank_name(hr_admin, name, scopes, field):
    with pytest.raises(ValidationError) as raised:
        api_client_create(name=name, scopes=scopes, by=hr_admin)
    assert field in raised.value.message_dict
    assert not ApiClient.objects.exists()
    assert not get_user_model().objects.filter(username__startswith="api:").exists()


def test_the_scope_registry_covers_every_scope_a_viewset_requires():
    from coaching.api.views import COACHING_SCOPES
    from coaching.pulse.api.views import PULSE_SCOPES
    from coaching.recognition.api import RECOGNITION_SCOPES
    from managers.api.hiring_views import HIRING_SCOPES
    from managers.api.views import CHARTER_SCOPES, COMPETENCY_SCOPES

    required = {
        scope
        for scopes in (
            COACHING_SCOPES,
            HIRING_SCOPES,
            CHARTER_SCOPES,
            COMPETENCY_SCOPES,
            PULSE_SCOPES,
            RECOGNITION_SCOPES,
        )
        for scope in scopes.values()
    }
    assert required | {"people:read", "people:write", "scim"} <= API_SCOPES.keys()


# Over HTTP, against the real endpoints.


def test_a_hiring_read_token_reads_requisitions_and_cannot_write_them(hiring, hiring_reader, recruiter):
    """Given a hiring:read token, when it lists requisitions it gets a 200 with what its account may see,
    and when it opens one it gets a 403 (no hiring:write) and nothing is written."""
    client, token = hiring_reader
    api = _token_client(token)

    response = api.get(reverse("requisition-list"))
    assert response.status_code == 200
    assert response.data["results"] == []  # an HR admin's account works on no requisition

    client.user.groups.add(recruiter.groups.get(name=roles.RECRUITER))
    Requisition.objects.filter(pk=hiring["requisition"].pk).update(recruiter=client.user)
    listed = _token_client(token).get(reverse("requisition-list"))
    assert [row["id"] for row in listed.data["results"]] == [hiring["requisition"].pk]

    body = {"role": hiring["role"].pk, "title": "Another", "hiring_manager": hiring["requisition"].hiring_manager_id}
    refused = api.post(reverse("requisition-list"), body, format="json")
    assert refused.status_code == 403
    assert Requisition.objects.count() == 1


def test_a_hiring_read_token_cannot_read_charters(charter, hiring_reader):
    _, token = hiring_reader
    response = _token_client(token).get(reverse("role-list"))
    assert response.status_code == 403


def test_a_revoked_token_gets_401(hiring_reader, hr_admin):
    client, token = hiring_reader
    assert _token_client(token).get(reverse("requisition-list")).status_code == 200

    api_client_revoke(client=client, by=hr_admin)

    response = _token_client(token).get(reverse("requisition-list"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    client.refresh_from_db()
    assert (client.revoked_by, client.user.is_active) == (hr_admin, False)
    assert api_client_revoke(client=client, by=None).revoked_by == hr_admin  # idempotent


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer ema_1234abcd_x y",
        "Bearer not-a-token",
        "Bearer ema_0000000_" + "a" * 43,
        "Bearer ema_ffffffff_" + "a" * 43,
        "Bearer é",
    ],
)
def test_a_malformed_or_unknown_token_gets_401(hiring_reader, header):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=header)
    response = api.get(reverse("requisition-list"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not ApiRequestLog.objects.exists()


def test_a_wrong_secret_with_a_real_prefix_gets_401(hiring_reader):
    client, token = hiring_reader
    wrong = f"ema_{client.prefix}_{'A' * 43}"
    assert _token_client(wrong).get(reverse("requisition-list")).status_code == 401
    assert api_client_authenticate(wrong) is None
    assert api_client_authenticate(token) == client


def test_no_credentials_get_401_and_a_session_still_works(org):
    response = APIClient().get(reverse("requisition-list"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    session = APIClient()
    session.force_login(org["leader"].user)
    assert session.get(reverse("requisition-list")).status_code == 200
    assert not ApiRequestLog.objects.exists()


def test_last_used_at_is_written_at_most_once_a_minute(hiring_reader):
    client, token = hiring_reader
    assert client.last_used_at is None
    _token_client(token).get(reverse("requisition-list"))
    client.refresh_from_db()
    first_use = client.last_used_at
    assert first_use is not None

    with CaptureQueriesContext(connection) as queries:
        _token_client(token).get(reverse("requisition-list"))
    assert not [query for query in queries if query["sql"].startswith("UPDATE")]
    client.refresh_from_db()
    assert client.last_used_at == first_use

    ApiClient.objects.filter(pk=client.pk).update(last_used_at=first_use - timedelta(minutes=2))
    _token_client(token).get(reverse("requisition-list"))
    client.refresh_from_db()
    assert client.last_used_at > first_use - timedelta(seconds=1)


def test_every_token_request_is_logged_with_its_client_and_status(charter, hiring_reader):
    """One INSERT per request, whatever the answer: a 200, a 403 for a missing scope, a 404."""
    client, token = hiring_reader
    api = _token_client(token)
    requests = [
        ("get", reverse("requisition-list"), 200),
        ("post", reverse("requisition-list"), 403),
        ("get", reverse("role-list"), 403),
        ("get", reverse("requisition-detail", args=[999999]), 404),
    ]
    for method, url, status in requests:
        with CaptureQueriesContext(connection) as queries:
            assert getattr(api, method)(url, {}, format="json").status_code == status
        inserts = [query["sql"] for query in queries if query["sql"].startswith("INSERT")]
        assert len(inserts) == 1 and ApiRequestLog._meta.db_table in inserts[0]

    logged = list(ApiRequestLog.objects.order_by("pk").values_list("client", "method", "path", "status_code"))
    assert logged == [(client.pk, method.upper(), url, status) for method, url, status in requests]
    assert all(entry.created_at <= timezone.now() for entry in ApiRequestLog.objects.all())


# The pages: HR admins only.


def test_hr_admin_creates_a_client_and_sees_its_token_once(client, hr_admin):
    client.force_login(hr_admin)
    form = client.get(reverse("enablement:api-client-create"))
    assert form.status_code == 200
    assert str(API_SCOPES["hiring:read"]) in form.content.decode()

    body = {"name": "Workday", "scopes": ["hiring:read", "people:read"], "hr_admin": "on"}
    response = client.post(reverse("enablement:api-client-create"), body)

    assert response.status_code == 200
    token = response.context["token"]
    assert response.content.decode().count(token) == 1
    assert "no-store" in response["Cache-Control"]
    created = ApiClient.objects.get()
    assert (created.name, created.scopes, created.owner) == ("Workday", {"hiring:read", "people:read"}, hr_admin)
    assert policy.is_hr_admin(created.user)
    assert api_client_authenticate(token) == created
    listing = client.get(reverse("enablement:api-client-list")).content.decode()
    assert created.prefix in listing and _secret(token) not in listing and created.token_hash not in listing


def test_api_client_list_shows_every_client_in_a_fixed_number_of_queries(client, hr_admin, hiring_reader):
    client.force_login(hr_admin)
    url = reverse("enablement:api-client-list")
    with CaptureQueriesContext(connection) as one_client:
        client.get(url)
    scripted, _ = api_client_create(name="Provisioning script", scopes=["scim"], by=None)
    api_client_revoke(client=scripted, by=hr_admin)
    api_client_create(name="LMS", scopes=["competencies:read"], by=hr_admin)

    with CaptureQueriesContext(connection) as three_clients:
        response = client.get(url)

    assert len(three_clients) == len(one_client)
    rows = response.content.decode()
    assert all(name in rows for name in ("Workday", "Provisioning script", "LMS", "command line", "Revoked"))
    assert rows.count("Sees what an HR admin sees") == 1


def test_api_client_create_page_shows_errors_and_creates_nothing(client, hr_admin):
    client.force_login(hr_admin)
    response = client.post(reverse("enablement:api-client-create"), {"name": "Workday", "scopes": ["payroll"]})
    assert response.status_code == 200
    assert response.context["form"].errors["scopes"]
    assert not ApiClient.objects.exists()


def test_hr_admin_revokes_a_client_after_confirming(client, hr_admin, hiring_reader):
    api_client, token = hiring_reader
    client.force_login(hr_admin)
    url = reverse("enablement:api-client-revoke", args=[api_client.pk])

    confirm = client.get(url)
    assert confirm.status_code == 200 and "Revoke Workday?" in confirm.content.decode()
    assert ApiClient.objects.get().revoked_at is None

    response = client.post(url)
    assert response.status_code == 302 and response.url == reverse("enablement:api-client-list")
    assert ApiClient.objects.get().revoked_by == hr_admin
    assert _token_client(token).get(reverse("requisition-list")).status_code == 401
    assert "Revoked" in client.get(reverse("enablement:api-client-list")).content.decode()


@pytest.mark.parametrize("persona", ["leader", "owner"])
def test_api_client_pages_refuse_anyone_but_hr_admins(client, org, hiring_reader, persona):
    api_client, _ = hiring_reader
    client.force_login(org[persona].user)
    revoke = reverse("enablement:api-client-revoke", args=[api_client.pk])
    assert client.get(reverse("enablement:api-client-list")).status_code == 403
    assert client.get(reverse("enablement:api-client-create")).status_code == 403
    body = {"name": "Mine", "scopes": ["people:read"]}
    assert client.post(reverse("enablement:api-client-create"), body).status_code == 403
    assert client.get(revoke).status_code == 403
    assert client.post(revoke).status_code == 403
    assert ApiClient.objects.get().revoked_at is None and ApiClient.objects.count() == 1


def test_api_client_pages_send_anonymous_to_sign_in_and_refuse_wrong_methods(client, hr_admin, hiring_reader):
    api_client, _ = hiring_reader
    urls = [
        reverse("enablement:api-client-list"),
        reverse("enablement:api-client-create"),
        reverse("enablement:api-client-revoke", args=[api_client.pk]),
    ]
    for url in urls:
        response = client.post(url) if url.endswith("/revoke/") else client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url
    assert ApiClient.objects.get().revoked_at is None
    client.force_login(hr_admin)
    assert client.post(urls[0]).status_code == 405
    assert client.put(urls[1]).status_code == 405
    assert client.delete(urls[2]).status_code == 405


def test_api_clients_nav_item_is_for_hr_admins(client, org, hr_admin):
    client.force_login(hr_admin)
    assert reverse("enablement:api-client-list") in client.get(reverse("enablement:person-list")).content.decode()
    client.force_login(org["leader"].user)
    assert reverse("enablement:api-client-list") not in client.get(reverse("coaching:impact")).content.decode()


# The admin.


def test_admin_lists_clients_without_adding_and_revokes_them(client, hr_admin, hiring_reader):
    api_client, token = hiring_reader
    client.force_login(hr_admin)
    changelist = reverse("admin:enablement_apiclient_changelist")
    assert api_client.prefix in client.get(changelist).content.decode()
    assert client.get(reverse("admin:enablement_apiclient_add")).status_code == 403
    assert client.get(reverse("admin:enablement_apiclient_change", args=[api_client.pk])).status_code == 200

    response = client.post(changelist, {"action": "revoke", "_selected_action": [api_client.pk]})

    assert response.status_code == 302
    assert ApiClient.objects.get().revoked_by == hr_admin
    assert _token_client(token).get(reverse("requisition-list")).status_code == 401
    assert api_client.user.username not in client.get(reverse("admin:auth_user_changelist")).content.decode()


def test_admin_shows_the_request_log_read_only(client, hr_admin, hiring_reader):
    api_client, token = hiring_reader
    _token_client(token).get(reverse("requisition-list"))
    entry = ApiRequestLog.objects.get()
    client.force_login(hr_admin)
    assert client.get(reverse("admin:enablement_apirequestlog_changelist")).status_code == 200
    assert client.get(reverse("admin:enablement_apirequestlog_change", args=[entry.pk])).status_code == 200
    assert client.get(reverse("admin:enablement_apirequestlog_add")).status_code == 403
    client.post(reverse("admin:enablement_apirequestlog_change", args=[entry.pk]), {"status_code": 500})
    assert ApiRequestLog.objects.get().status_code == 200


# The command.


def test_create_api_token_prints_only_a_working_token(hiring):
    out = io.StringIO()
    call_command(
        "create_api_token", "--name", "Provisioning", "--scopes", "hiring:read, people:read", "--hr-admin", stdout=out
    )

    token = out.getvalue().strip()
    assert out.getvalue() == f"{token}\n" and token.startswith("ema_")
    created = ApiClient.objects.get()
    assert (created.name, created.scopes, created.owner) == ("Provisioning", {"hiring:read", "people:read"}, None)
    assert policy.is_hr_admin(created.user)
    assert _token_client(token).get(reverse("requisition-list")).status_code == 200


def test_create_api_token_refuses_an_unknown_scope(db):
    out = io.StringIO()
    with pytest.raises(CommandError, match="Unknown scope"):
        call_command("create_api_token", "--name", "Provisioning", "--scopes", "hiring:read,payroll:write", stdout=out)
    assert out.getvalue() == ""
    assert not ApiClient.objects.exists()


def test_an_api_clients_account_is_never_linked_to_a_person(db, hr_admin, org):
    from django.core.exceptions import ValidationError

    from enablement.api.clients.services import api_client_create
    from enablement.org.services import person_update

    client, _token = api_client_create(name="HR sync", scopes=["hiring:read"], by=hr_admin)
    with pytest.raises(ValidationError):
        person_update(person=org["seller"], data={"user": client.user})
    org["seller"].refresh_from_db()
    assert org["seller"].user.username == "seller"


def test_a_failed_request_log_write_does_not_turn_a_success_into_an_error(db, hr_admin, monkeypatch):
    from django.db import OperationalError
    from rest_framework.test import APIClient

    from enablement.api.clients.services import api_client_create
    from enablement.models import ApiRequestLog

    _client, token = api_client_create(name="HR sync", scopes=["hiring:read"], by=hr_admin)

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(ApiRequestLog.objects, "create", locked)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/requisitions/").status_code == 200


def test_a_token_cannot_use_a_view_that_names_no_scope_but_a_session_can(db, hr_admin):
    from rest_framework.test import APIClient

    from enablement.api.clients.services import api_client_create

    _client, token = api_client_create(name="HR sync", scopes=["hiring:read"], by=hr_admin)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/").status_code == 403  # the API root declares no scope
    session = APIClient()
    session.force_login(hr_admin)
    assert session.get("/api/v1/").status_code == 200
