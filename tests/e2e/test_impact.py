"""Manager impact in a real browser, on the demo data: the CSO opens Manager impact, filters to one director
and drills into an old support request; its owner resolves it; the manager says it fixed the problem; their
card shows it closed. Screenshots at 390 and 1440 pixels wide go to SCREENSHOT_DIR (or VAR_DIR/screenshots)."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.e2e.test_sign_in import _sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "CPQ approvals take five days"
WIDTHS = (390, 1440)


def _shots(page, name: str) -> None:
    """The page at each width, for a person to look at; asserts that nothing is wider than the window."""
    folder = Path(os.environ.get("SCREENSHOT_DIR") or settings.VAR_DIR / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=folder / f"{name}-{width}.png", full_page=True)
        scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{name} is {scroll_width}px wide at {width}px"
    page.set_viewport_size({"width": 1440, "height": 900})


def _as(browser, live_server, username: str):
    """A browser context of its own for `username`, recording every request that leaves the live server."""
    page = browser.new_context(base_url=live_server.url).new_page()
    page.outside_requests = []
    page.on(
        "request",
        lambda request: None if request.url.startswith(live_server.url) else page.outside_requests.append(request.url),
    )
    _sign_in(page, username, "demo")
    return page


def test_cso_drills_into_an_old_request_the_owner_resolves_and_the_manager_confirms(demo_data, browser, live_server):
    # The CSO opens Manager impact and filters to one director.
    cso = _as(browser, live_server, "cso")
    cso.locator("#main-nav summary", has_text="People & coaching").click()  # a leader's menu is grouped
    cso.locator("#main-nav").get_by_role("link", name="Manager impact").click()
    expect(cso.get_by_role("heading", name="Manager impact", exact=True)).to_be_visible()
    expect(cso.get_by_test_id("director-group")).to_have_count(2)
    _shots(cso, "impact")
    cso.get_by_label("Director").select_option(label="Marcus Chen")
    cso.get_by_role("button", name="Filter").click()
    groups = cso.get_by_test_id("director-group")
    expect(groups).to_have_count(1)
    expect(groups.first).to_contain_text("Reporting to Marcus Chen")
    expect(cso.get_by_test_id("manager-card")).to_have_count(6)

    # The old request shows on its manager's card, with a flag that says why; the CSO opens it.
    card = (
        cso.get_by_test_id("manager-card")
        .filter(has=cso.get_by_test_id("oldest-request"))
        .filter(has_text="support request open 23 days")
    )
    expect(card).to_have_count(1)
    manager_name = card.locator(".card-header a").inner_text()
    card.get_by_test_id("oldest-request").click()
    expect(cso.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(cso.get_by_test_id("first-response")).to_contain_text("overdue")
    expect(cso.get_by_test_id("owner")).to_contain_text("Rachel Kim")
    _shots(cso, "support-request")

    # Its owner resolves it from their Support requests page.
    owner = _as(browser, live_server, "revops")
    owner.locator("#main-nav").get_by_role("link", name="Support").click()
    owner.get_by_role("link", name=TITLE).click()
    transition = owner.get_by_test_id("transition")
    transition.get_by_label("Move to").select_option(label="Resolved")
    transition.get_by_label("Note").fill("Discounts up to 15% no longer wait for a VP.")
    transition.get_by_role("button", name="Update").click()
    expect(owner.get_by_text("The request is now resolved.")).to_be_visible()
    expect(owner.get_by_test_id("request-state")).to_contain_text("Resolved: waiting for confirmation")

    # The manager sees it on My impact and confirms it fixed the problem.
    manager = _as(browser, live_server, "manager3")
    manager.locator("#main-nav").get_by_role("link", name="My impact").click()
    expect(manager.get_by_role("heading", name="My impact")).to_be_visible()
    expect(manager.get_by_test_id("manager-card").locator(".card-header a")).to_have_text(manager_name)
    manager.get_by_test_id("closed-requests").get_by_role("link", name=TITLE).click()
    confirm = manager.get_by_test_id("confirm")
    expect(confirm).to_contain_text("Did this fix it?")
    confirm.get_by_role("button", name="Yes, it is fixed").click()
    expect(manager.get_by_text("Closed: glad it is fixed.")).to_be_visible()

    # The card shows it closed, and no request open any more.
    manager.locator("#main-nav").get_by_role("link", name="My impact").click()
    closed = manager.get_by_test_id("closed-requests")
    expect(closed.get_by_role("listitem").filter(has_text=TITLE)).to_contain_text("Closed: fixed")
    expect(manager.get_by_test_id("open-requests")).to_contain_text("None open.")
    _shots(manager, "my-impact")
    assert cso.outside_requests == owner.outside_requests == manager.outside_requests == []
