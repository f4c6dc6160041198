"""Single sign-on in a real browser, through the real OpenID provider's own sign-in page (tests/sso/provider)."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.sso.conftest import CLIENT_ID, CLIENT_SECRET, PASSWORD, PROVIDER_NAME, OpenIdProvider, ensure_provider

pytestmark = [pytest.mark.e2e, pytest.mark.sso, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser_idp(live_server, tmp_path_factory):
    """A provider that knows the live server's address as the platform's redirect URI."""
    ensure_provider()
    provider = OpenIdProvider(tmp_path_factory.mktemp("browser-idp"), redirect_bases=[live_server.url])
    yield provider
    provider.stop()


@pytest.fixture
def sso(browser_idp, settings):
    settings.SSO_ENABLED = True
    settings.OIDC_ISSUER = browser_idp.issuer
    settings.OIDC_PROVIDER_NAME = PROVIDER_NAME
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    cache.clear()
    yield browser_idp
    cache.clear()


def _sign_in_at_the_provider(page, login: str) -> None:
    page.goto("/")
    page.get_by_role("link", name=f"Sign in with {PROVIDER_NAME}").click()
    expect(page.get_by_role("heading", name="Sign in to the test provider")).to_be_visible()
    page.get_by_label("Username").fill(login)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()


def test_a_manager_signs_in_through_the_provider_lands_on_their_team_and_signs_out_of_both(page, sso, org):
    sso.add_account("owner")

    _sign_in_at_the_provider(page, "owner")

    expect(page.get_by_role("heading", name="My team")).to_be_visible()
    expect(page.get_by_role("link", name=org["seller"].full_name)).to_be_visible()

    page.locator("#user-menu").click()
    page.get_by_role("button", name="Sign out").click()
    # The provider's own confirmation, then back to the platform's sign-in page.
    page.get_by_role("button", name="Yes, sign me out").click()
    expect(page.get_by_role("heading", name="Sign in", exact=True)).to_be_visible()

    # Signed out at the provider too: it asks for the password again.
    page.get_by_role("link", name=f"Sign in with {PROVIDER_NAME}").click()
    expect(page.get_by_role("heading", name="Sign in to the test provider")).to_be_visible()


def test_someone_nobody_provisioned_sees_why_they_are_not_signed_in(page, sso, org):
    sso.add_account("stranger", email="stranger@elsewhere.example")

    _sign_in_at_the_provider(page, "stranger")

    expect(page.get_by_role("heading", name="You are not signed in: No account here")).to_be_visible()
    expect(page.get_by_text("Ask an HR admin to add you")).to_be_visible()
    page.get_by_role("link", name="Back to sign-in").click()
    expect(page.get_by_role("heading", name="Sign in", exact=True)).to_be_visible()
