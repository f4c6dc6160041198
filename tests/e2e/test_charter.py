import pytest
from playwright.sync_api import expect

from managers.models import Acknowledgement
from managers.services.charters import charter_acknowledge, charter_draft_start, charter_publish
from tests.e2e.test_sign_in import _sign_in
from tests.managers.factories import FocusAreaFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_manager_acknowledges_the_new_charter_and_the_leader_sees_the_count_rise(page, org, charter):
    # Given the owner acknowledged v1, and v2 adds a focus area.
    v1 = Acknowledgement.objects.get(person=org["owner"], version=charter["version"])
    charter_acknowledge(
        acknowledgement=v1, by=org["owner"].user, clarity_focus=3, clarity_deprioritize=3, clarity_success=3
    )
    v2 = charter_draft_start(role=charter["role"], by=org["leader"].user)
    FocusAreaFactory(version=v2, title="Hire and onboard", time_share=20)
    charter_publish(version=v2, by=org["leader"].user)

    # The leader sees nobody has acknowledged v2 yet.
    _sign_in(page, "leader")
    page.goto("/charters/")
    expect(page.get_by_test_id("acknowledged-fsm-enterprise")).to_have_text("0 of 2")
    page.locator("#user-menu").click()
    page.get_by_role("button", name="Sign out").click()

    # When the manager reads the charter and acknowledges it.
    _sign_in(page, "owner")
    page.locator("#main-nav").get_by_role("link", name="My charter").click()
    expect(page.get_by_test_id("focus-areas")).to_contain_text("Coach every seller weekly")
    expect(page.get_by_text("What changed since v1")).to_be_visible()
    expect(page.get_by_test_id("diff").locator('[data-change="added"]')).to_contain_text("Hire and onboard")
    for group, rating in (("clarity_focus", "5"), ("clarity_deprioritize", "4"), ("clarity_success", "5")):
        page.locator(f'input[name="{group}"][value="{rating}"]').check()
    page.get_by_label("Question for your leader").fill("Does onboarding include shadowing?")
    page.get_by_role("button", name="Acknowledge").click()

    # Then the page shows it acknowledged...
    expect(page.get_by_test_id("acknowledgement-state")).to_contain_text("Acknowledged")
    expect(page.get_by_test_id("my-question")).to_contain_text("Does onboarding include shadowing?")

    # ...and the leader sees one of two holders acknowledged v2.
    page.locator("#user-menu").click()
    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, "leader")
    page.locator("#main-nav summary", has_text="Charters").click()  # a leader's menu is grouped
    page.locator("#main-nav").get_by_role("link", name="Charters", exact=True).click()
    expect(page.get_by_test_id("acknowledged-fsm-enterprise")).to_have_text("1 of 2")
    assert page.outside_requests == []


def test_leader_moves_a_row_sees_the_total_and_saves_in_that_order(page, org, charter):
    # Given a draft with two focus areas (40% and 30%).
    draft = charter["other_draft"]
    first, second = draft.focus_areas.values_list("title", flat=True)
    _sign_in(page, "leader")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/charters/versions/{draft.pk}/edit/")
    total = page.locator("[data-time-share-total]")
    expect(total).to_contain_text("70% of time in all")

    # When they move the second row up, in place, and change its share.
    rows = page.locator("[data-rows=focus_areas] > [data-row]")
    rows.nth(1).locator("[data-move=up]").click()
    expect(rows.nth(0).locator("input[name$=title]")).to_have_value(second)
    assert page.url.endswith("/edit/")  # no round trip
    rows.nth(0).locator("[data-time-share]").fill("65")
    expect(total).to_contain_text("105% of time in all")
    rows.nth(0).locator("[data-time-share]").fill("50")
    expect(total).to_contain_text("90% of time in all")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # Then saving keeps the order shown.
    page.get_by_role("button", name="Save draft", exact=True).last.click()
    expect(page.get_by_text("Draft saved.")).to_be_visible()
    assert list(draft.focus_areas.values_list("title", "time_share")) == [(second, 50), (first, 40)]
    assert page.outside_requests == []
