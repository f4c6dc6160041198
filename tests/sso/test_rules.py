"""The sign-in rules and pages that need no OpenID provider running: who single sign-on may sign in, password
sign-in switched off, the sign-in page, discovery, what django-axes counts, and the settings' checks."""

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse

from enablement.accounts.sign_in import SignInRefusal, axes_username, sso_refusal
from enablement.accounts.sso import provider as sso_provider
from enablement.accounts.sso.accounts import SignInRefused, login_for_claims
from enablement.api.clients.services import api_client_create
from enablement.org.services import person_terminate
from tests.enablement.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"


@pytest.fixture
def sso_settings(settings):
    settings.SSO_ENABLED = True
    settings.OIDC_ISSUER = "https://idp.example"
    settings.OIDC_PROVIDER_NAME = "Okta"
    settings.OIDC_RP_CLIENT_ID = "client"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    return settings


# Who single sign-on may sign in


def _login(**kwargs):
    return UserFactory(**kwargs)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        pytest.param(lambda: PersonFactory(user=_login()).user, None, id="a current person's login"),
        pytest.param(lambda: PersonFactory(user=_login(), employment_status="on_leave").user, None, id="on leave"),
        pytest.param(lambda: _login(), SignInRefusal.NOT_PROVISIONED, id="a login nobody is the person of"),
        pytest.param(lambda: PersonFactory(user=_login(is_active=False)).user, SignInRefusal.DEACTIVATED, id="off"),
        pytest.param(
            lambda: person_terminate(person=PersonFactory(user=_login())).user, SignInRefusal.TERMINATED, id="leaver"
        ),
        pytest.param(
            lambda: PersonFactory(user=_login(is_superuser=True)).user, SignInRefusal.SUPERUSER, id="superuser"
        ),
        pytest.param(
            lambda: api_client_create(name="HR", scopes=["scim"], by=None)[0].user,
            SignInRefusal.MACHINE_ACCOUNT,
            id="API client",
        ),
        pytest.param(
            lambda: PersonFactory(user=_login(username="api:lookalike")).user,
            SignInRefusal.MACHINE_ACCOUNT,
            id="the API clients' mark",
        ),
    ],
)
def test_sso_refusal_says_who_may_not_sign_in(make, expected):
    user = get_user_model().objects.get(pk=make().pk)
    assert sso_refusal(user) == expected


def test_login_for_claims_prefers_the_username_claim(sso_settings):
    owner = PersonFactory(user=_login(username="jane"), email="jane@corp.example")
    other = PersonFactory(user=_login(username="someone"), email="someone@corp.example")
    claims = {"preferred_username": "JANE", "email": other.email, "email_verified": True}
    assert login_for_claims(claims) == owner.user


def test_login_for_claims_takes_an_email_only_when_verified_and_allowed(sso_settings):
    person = PersonFactory(user=_login(username="x1"), email="kim@corp.example")
    verified = {"preferred_username": "kim.okta", "email": "KIM@corp.example", "email_verified": "true"}
    assert login_for_claims(verified) == person.user
    with pytest.raises(SignInRefused) as refused:
        login_for_claims({**verified, "email_verified": False})
    assert refused.value.reason == SignInRefusal.NOT_PROVISIONED
    sso_settings.OIDC_MATCH_VERIFIED_EMAIL = False
    with pytest.raises(SignInRefused):
        login_for_claims(verified)


def test_login_for_claims_gives_a_leaver_hr_synced_without_login_none(sso_settings):
    person = person_terminate(person=PersonFactory(user=None, email="gone@corp.example"))
    with pytest.raises(SignInRefused) as refused:
        login_for_claims({"email": person.email, "email_verified": True})
    assert refused.value.reason == SignInRefusal.TERMINATED
    person.refresh_from_db()
    assert person.user is None


def test_login_for_claims_never_creates_a_username_with_the_api_clients_mark(sso_settings):
    person = PersonFactory(user=None, email="lee@corp.example")
    login = login_for_claims({"preferred_username": "api:lee", "email": person.email, "email_verified": True})
    assert login.username == "lee@corp.example"


# Password sign-in switched off


def test_password_sign_in_off_refuses_everyone_but_superusers(client, org, sso_settings):
    sso_settings.PASSWORD_SIGN_IN = False
    UserFactory(username="breakglass", is_superuser=True, is_staff=True)

    refused = client.post(reverse("login"), {"username": "owner", "password": PASSWORD})
    assert refused.status_code == 200
    assert "Only administrator accounts sign in with a password here. Sign in with Okta." in refused.content.decode()
    assert "_auth_user_id" not in client.session

    # Django's admin sign-in goes through the same backend: a staff member is refused too.
    UserFactory(username="staff_member", is_staff=True)
    admin_refused = client.post(reverse("admin:login"), {"username": "staff_member", "password": PASSWORD})
    assert "_auth_user_id" not in client.session and admin_refused.status_code == 200

    signed_in = client.post(reverse("login"), {"username": "breakglass", "password": PASSWORD})
    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(get_user_model().objects.get(username="breakglass").pk)


def test_password_sign_in_off_ends_sessions_a_password_opened(client, org, sso_settings):
    client.force_login(org["owner"].user)
    assert client.get(reverse("coaching:team")).status_code == 200
    sso_settings.PASSWORD_SIGN_IN = False
    response = client.get(reverse("coaching:team"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


# The sign-in page


def test_sign_in_page_offers_the_provider_when_sso_is_configured(client, sso_settings):
    body = client.get(reverse("login"), {"next": "/people/"}).content.decode()
    assert "Sign in with Okta" in body
    assert f'href="{reverse("sso:start")}?next=/people/"' in body
    assert 'name="password"' in body and "<details" not in body


def test_sign_in_page_tucks_the_password_form_away_when_passwords_are_off(client, sso_settings):
    sso_settings.PASSWORD_SIGN_IN = False
    body = client.get(reverse("login")).content.decode()
    assert "Sign in with Okta" in body
    assert "Administrator sign-in with a password" in body and 'name="password"' in body


def test_without_sso_the_page_has_no_button_and_its_addresses_do_not_exist(client, settings):
    settings.SSO_ENABLED = False
    assert "Sign in with" not in client.get(reverse("login")).content.decode()
    assert client.get(reverse("sso:start")).status_code == 404
    assert client.get(reverse("sso:callback"), {"code": "x", "state": "y"}).status_code == 404


# What django-axes counts


def test_axes_username_counts_the_form_or_the_account_the_provider_named():
    factory = RequestFactory()
    assert axes_username(factory.post("/", {"username": "typed"}), None) == "typed"
    assert axes_username(factory.get("/"), {"username": "given"}) == "given"
    request = factory.get("/oidc/callback/")
    assert axes_username(request, {"nonce": "x"}) is None  # a bad token names nobody: the address alone
    request.sso_username = "jane"
    assert axes_username(request, {"nonce": "x"}) == "jane"


# Discovery


class _Discovery(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        self.server.hits += 1
        body = json.dumps(self.server.document).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def discovery_server(sso_settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Discovery)
    server.hits = 0
    issuer = f"http://127.0.0.1:{server.server_address[1]}"
    server.document = {
        "issuer": issuer,
        "authorization_endpoint": f"{issuer}/auth",
        "token_endpoint": f"{issuer}/token",
        "jwks_uri": f"{issuer}/jwks",
    }
    sso_settings.OIDC_ISSUER = issuer
    sso_provider.forget()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    sso_provider.forget()
    server.shutdown()
    server.server_close()


def test_discovery_is_fetched_once_and_cached(discovery_server):
    first = sso_provider.provider()
    second = sso_provider.provider()
    assert first == second and discovery_server.hits == 1
    assert first.token_endpoint.endswith("/token") and first.takes_basic_auth and first.end_session_endpoint is None


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"issuer": "https://someone-else.example"}, id="another issuer"),
        pytest.param({"jwks_uri": None}, id="no keys"),
    ],
)
def test_discovery_describing_another_provider_is_refused_and_not_cached(client, discovery_server, change):
    discovery_server.document = {**discovery_server.document, **change}
    response = client.get(reverse("sso:start"))
    assert response.status_code == 503
    assert 'data-reason="unavailable"' in response.content.decode()
    client.get(reverse("sso:start"))
    assert discovery_server.hits == 2


def test_sign_in_start_sends_the_browser_to_the_provider_with_pkce_state_and_nonce(client, discovery_server):
    response = client.get(reverse("sso:start"))
    assert response.status_code == 302
    assert response.url.startswith(f"{discovery_server.document['authorization_endpoint']}?")
    for parameter in ("response_type=code", "code_challenge_method=S256", "code_challenge=", "state=", "nonce="):
        assert parameter in response.url
    assert "redirect_uri=http%3A%2F%2Ftestserver%2Foidc%2Fcallback%2F" in response.url


# Settings


def _check(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "OIDC_", "PASSWORD_"))}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


SSO_ENV = {"OIDC_ISSUER": "https://idp.example", "OIDC_CLIENT_ID": "client", "OIDC_CLIENT_SECRET": "secret"}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        pytest.param({"OIDC_ISSUER": "https://idp.example"}, "Set the OIDC_CLIENT_ID", id="no client"),
        pytest.param({**SSO_ENV, "OIDC_SCOPES": "email"}, "OIDC_SCOPES must include openid", id="no openid"),
        pytest.param({**SSO_ENV, "OIDC_CREATE_USER": "true"}, "needs OIDC_CREATE_USER_DOMAINS", id="jit anyone"),
        pytest.param({"PASSWORD_SIGN_IN": "false"}, "PASSWORD_SIGN_IN=false needs OIDC_ISSUER", id="nobody"),
        pytest.param(
            {
                **SSO_ENV,
                "OIDC_ISSUER": "http://idp.example",
                "DJANGO_ENV": "production",
                "DJANGO_SECRET_KEY": "k" * 60,
                "DJANGO_ALLOWED_HOSTS": "enablement.example.com",
            },
            "must be an https:// address in production",
            id="plain http in production",
        ),
    ],
)
def test_sso_settings_refuse_to_start_when_wrong(env, message):
    result = _check(env)
    assert result.returncode != 0
    assert message in result.stderr


def test_the_menu_offers_a_password_change_only_to_those_who_have_a_password(client, org):
    client.force_login(org["owner"].user)
    assert "Change password" in client.get(reverse("coaching:team")).content.decode()
    sso_only = PersonFactory(user=UserFactory(username="sso_only", password=None)).user
    sso_only.set_unusable_password()
    sso_only.save()
    client.force_login(sso_only)
    response = client.get(reverse("enablement:home"), follow=True)
    assert response.status_code == 200 and "Sign out" in response.content.decode()
    assert "Change password" not in response.content.decode()


def test_check_deploy_is_clean_with_single_sign_on_configured():
    env = {
        **SSO_ENV,
        "PASSWORD_SIGN_IN": "false",
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": "a-long-production-secret-key-for-the-deploy-check-0123456789-xyz",
        "DJANGO_ALLOWED_HOSTS": "enablement.example.com",
    }
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "OIDC_", "PASSWORD_"))}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
