"""Signing in through a real OpenID provider (oidc-provider on Node.js, tests/sso/provider/): who gets in,
who is refused and why, SCIM switching a login off, lockouts, replays, and signing out at the provider."""

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from enablement.api.clients.services import api_client_create
from enablement.models import Person
from enablement.org.services import person_terminate
from tests.enablement.factories import PersonFactory, UserFactory
from tests.sso.conftest import back_at, signed_in_user_id, sso_sign_in, start_sign_in

pytestmark = [pytest.mark.sso, pytest.mark.django_db]

SCIM_JSON = "application/scim+json"


def _refused(response, reason: str, status: int = 403) -> str:
    assert response.status_code == status, response.content[:300]
    body = response.content.decode()
    assert f'data-reason="{reason}"' in body
    assert "Back to sign-in" in body
    return body


# Who gets in


def test_sso_signs_in_a_provisioned_manager_by_username_and_lands_on_their_team(client, idp, org):
    idp.add_account("owner")

    response = sso_sign_in(client, idp, "owner")

    assert response.status_code == 302
    assert signed_in_user_id(client) == org["owner"].user.pk
    home = client.get(response.url, follow=True)
    assert home.redirect_chain[-1][0] == reverse("coaching:team")


def test_sso_matches_the_username_without_case(client, idp, org):
    idp.add_account("Owner", preferred_username="OWNER")
    sso_sign_in(client, idp, "Owner")
    assert signed_in_user_id(client) == org["owner"].user.pk


def test_sso_matches_a_verified_email_to_the_persons_work_email(client, idp, org):
    idp.add_account("o.k", preferred_username="okta-login-nobody-has", email=org["owner"].email.upper())
    sso_sign_in(client, idp, "o.k")
    assert signed_in_user_id(client) == org["owner"].user.pk


def test_sso_gives_a_person_the_hr_sync_provisioned_without_login_a_linked_login(client, idp, db):
    person = PersonFactory(email="jordan.hr@example.com", user=None)
    idp.add_account("jordan", email="Jordan.HR@example.com")

    response = sso_sign_in(client, idp, "jordan")

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user is not None and signed_in_user_id(client) == person.user.pk
    assert person.user.username == "jordan" and not person.user.has_usable_password()


def test_sso_keeps_the_next_page_the_sign_in_started_from(client, idp, org):
    idp.add_account("owner")
    authorization_url, _params = start_sign_in(client, next_url="/people/")
    response = back_at(client, idp.log_in(authorization_url, "owner"))
    assert response.url == "/people/"


# Who is refused


def test_sso_refuses_someone_nobody_provisioned_and_creates_no_account(client, idp, org):
    idp.add_account("stranger", email="stranger@elsewhere.example")
    users, people = get_user_model().objects.count(), Person.objects.count()

    body = _refused(sso_sign_in(client, idp, "stranger"), "not_provisioned")

    assert "Ask an HR admin to add you" in body
    assert signed_in_user_id(client) is None
    assert (get_user_model().objects.count(), Person.objects.count()) == (users, people)


def test_sso_refuses_an_email_the_provider_does_not_vouch_for(client, idp, org):
    idp.add_account("sneaky", preferred_username="sneaky", email=org["owner"].email, email_verified=False)
    _refused(sso_sign_in(client, idp, "sneaky"), "not_provisioned")
    assert signed_in_user_id(client) is None


def test_sso_creates_a_person_just_in_time_only_when_asked_and_for_the_listed_domains(client, idp, settings, db):
    settings.OIDC_CREATE_USER = True
    settings.OIDC_CREATE_USER_DOMAINS = ["corp.example"]
    idp.add_account("new.hire", email="new.hire@corp.example", given_name="New", family_name="Hire")
    idp.add_account("outsider", email="outsider@other.example")

    sso_sign_in(client, idp, "new.hire")
    _refused(sso_sign_in(client, idp, "outsider"), "not_provisioned")

    person = Person.objects.get(email="new.hire@corp.example")
    assert signed_in_user_id(client) is None  # the refused sign-in came second, in the same browser
    assert (person.first_name, person.last_name, person.user.username) == ("New", "Hire", "new.hire")
    assert person.external_id.startswith("sso-") and not person.user.groups.exists()
    assert not Person.objects.filter(email="outsider@other.example").exists()


def test_sso_refuses_an_api_clients_account(client, idp, db):
    _client, _token = api_client_create(name="HR system", scopes=["people:read"], by=None)
    idp.add_account("machine", preferred_username=_client.user.username)

    body = _refused(sso_sign_in(client, idp, "machine"), "machine_account")

    assert "nobody signs in as one" in body
    assert signed_in_user_id(client) is None


def test_sso_refuses_a_superuser_who_keeps_the_password_form(client, idp, db):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    PersonFactory(user=admin)
    idp.add_account("root")
    _refused(sso_sign_in(client, idp, "root"), "superuser")
    assert signed_in_user_id(client) is None


def test_sso_refuses_a_leaver_with_a_clear_page(client, idp, org):
    person_terminate(person=org["seller"])
    idp.add_account("seller")

    body = _refused(sso_sign_in(client, idp, "seller"), "terminated")

    assert "Your employment has ended" in body
    assert signed_in_user_id(client) is None


# SCIM switching a login off


def _scim_client() -> APIClient:
    _client, token = api_client_create(name="Okta", scopes=["scim"], by=None)
    scim = APIClient()
    scim.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return scim


def _scim(scim, method: str, path: str, body: dict):
    return getattr(scim, method)(f"/scim/v2/{path}", data=json.dumps(body), content_type=SCIM_JSON)


def test_a_person_scim_deactivates_is_signed_out_and_can_no_longer_sign_in(client, idp, db):
    scim = _scim_client()
    created = _scim(
        scim,
        "post",
        "Users",
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": "casey@corp.example",
            "name": {"givenName": "Casey", "familyName": "Seller"},
            "emails": [{"value": "casey@corp.example", "primary": True}],
            "active": True,
        },
    )
    assert created.status_code == 201, created.content
    idp.add_account("casey", preferred_username="casey@corp.example")
    sso_sign_in(client, idp, "casey")
    assert client.get(reverse("enablement:home")).status_code in (200, 302)
    assert signed_in_user_id(client) is not None

    patched = _scim(
        scim,
        "patch",
        f"Users/{created.json()['id']}",
        {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "path": "active", "value": False}],
        },
    )
    assert patched.status_code == 200, patched.content

    # The session SSO opened ends at its next request...
    response = client.get(reverse("enablement:person-list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    # ...and signing in again is refused.
    body = _refused(sso_sign_in(client, idp, "casey"), "deactivated")
    assert "switched off" in body
    assert signed_in_user_id(client) is None

    deleted = scim.delete(f"/scim/v2/Users/{created.json()['id']}")
    assert deleted.status_code == 204
    _refused(sso_sign_in(client, idp, "casey"), "terminated")


# Lockouts, replays and the provider's own refusals


def test_failed_sso_sign_ins_count_against_the_account_and_lock_it_out(client, idp, org, settings):
    person_terminate(person=org["seller"])
    idp.add_account("seller")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _refused(sso_sign_in(client, idp, "seller"), "terminated")

    response = sso_sign_in(client, idp, "seller")

    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.failures_since_start) == ("seller", settings.AXES_FAILURE_LIMIT)


def test_a_locked_out_account_cannot_sign_in_through_sso_either(client, idp, org, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "owner", "password": "guess"})
    idp.add_account("owner")

    response = sso_sign_in(client, idp, "owner")

    assert response.status_code == 429
    assert signed_in_user_id(client) is None


def test_replaying_the_providers_answer_signs_nobody_in(client, idp, org):
    idp.add_account("owner")
    authorization_url, _params = start_sign_in(client)
    answer = idp.log_in(authorization_url, "owner")
    back_at(client, answer)
    client.post(reverse("logout"))

    # The same code and state again, in the same browser: the state was used up.
    _refused(back_at(client, answer), "expired", status=400)
    assert signed_in_user_id(client) is None


def test_an_answer_for_a_state_this_browser_never_started_is_refused(client, idp, org):
    idp.add_account("owner")
    authorization_url, _params = start_sign_in(Client())  # another browser started it
    answer = idp.log_in(authorization_url, "owner")

    _refused(back_at(client, answer), "expired", status=400)
    assert signed_in_user_id(client) is None


def test_the_provider_refusing_or_the_person_cancelling_is_a_page_not_a_loop(client, idp):
    _url, params = start_sign_in(client)
    response = client.get(reverse("sso:callback"), {"error": "access_denied", "state": params["state"]})
    _refused(response, "provider_error", status=400)


def test_an_unreachable_provider_is_a_page_too(client, settings, db):
    settings.SSO_ENABLED = True
    settings.OIDC_ISSUER = "http://127.0.0.1:9"  # discard: nothing answers
    settings.OIDC_RP_CLIENT_ID = "x"
    response = client.get(reverse("sso:start"))
    _refused(response, "unavailable", status=503)


# Signing out


def test_sign_out_ends_the_providers_session_too(client, idp, org):
    idp.add_account("owner")
    browser = requests.Session()  # the provider's cookies: its session
    authorization_url, _params = start_sign_in(client)
    back_at(client, idp.log_in(authorization_url, "owner", browser=browser))

    response = client.post(reverse("logout"))

    assert signed_in_user_id(client) is None
    end_session = urlsplit(response.url)
    assert response.url.startswith(f"{idp.issuer}/session/end")
    query = {name: values[0] for name, values in parse_qs(end_session.query).items()}
    assert query["post_logout_redirect_uri"] == "http://testserver/accounts/login/"
    assert query["client_id"] and query["id_token_hint"].count(".") == 2
    # The provider asks to confirm, then sends the browser back to the sign-in page.
    confirm = browser.get(response.url, timeout=10)
    assert "Sign out of the test provider?" in confirm.text
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', confirm.text))
    done = browser.post(
        f"{idp.issuer}/session/end/confirm", data={**form, "logout": "yes"}, allow_redirects=False, timeout=10
    )
    assert done.headers["Location"].startswith("http://testserver/accounts/login/")
    # Signed out there too: the next sign-in asks for the password again.
    authorization_url, _params = start_sign_in(client)
    page = browser.get(authorization_url, timeout=10)
    assert "Sign in to the test provider" in page.text


def test_sign_out_after_a_password_sign_in_stays_here(client, idp, org):
    client.force_login(org["owner"].user)
    response = client.post(reverse("logout"))
    assert response.url == reverse("login")
