import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


def _sign_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_manager_signs_in_sees_their_team_and_signs_out(page, org):
    _sign_in(page, "owner")

    expect(page.get_by_role("heading", name="My team")).to_be_visible()
    expect(page.get_by_role("link", name=org["seller"].full_name)).to_be_visible()
    expect(page.get_by_text(org["peer_seller"].full_name)).to_have_count(0)
    navigation = page.locator("#main-nav")
    expect(navigation.get_by_role("link", name="My team")).to_be_visible()
    expect(navigation.get_by_role("link", name="Organization")).to_have_count(0)

    # The user menu is a Bootstrap dropdown: it opens only if Bootstrap's JavaScript loaded locally.
    page.locator("#user-menu").click()
    page.get_by_role("button", name="Sign out").click()

    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert page.outside_requests == []


def test_leader_lands_on_manager_impact_and_opens_a_person(page, org):
    _sign_in(page, "leader")

    expect(page.get_by_role("heading", name="Manager impact")).to_be_visible()
    page.get_by_test_id("people-link").get_by_role("link", name="People that lead a team").click()
    page.get_by_role("link", name=org["owner"].full_name).first.click()

    expect(page.get_by_role("heading", name=org["owner"].full_name)).to_be_visible()
    expect(page.get_by_test_id("direct-reports")).to_contain_text(org["seller"].full_name)


def test_wrong_password_shows_an_error_and_stays_signed_out(page, org):
    _sign_in(page, "owner", password="wrong")

    expect(page.get_by_text("Please enter a correct username and password")).to_be_visible()
    page.goto("/team/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
