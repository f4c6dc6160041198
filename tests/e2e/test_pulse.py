"""Team pulse on a phone (390 x 844): sellers answer; the manager sees "not enough responses" until five have
answered, then results, and turns one into an action; a seller sees it. Then recognition from the phone.
Screenshots of the answer page, the results and the feed at 390 and 1440 px go to PULSE_SHOTS_DIR (default
VAR_DIR/screenshots), and no page is wider than the screen."""

import datetime
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from coaching.models import FeedbackAction, Pulse, PulseQuestion, Recognition
from coaching.pulse import services
from tests.coaching.pulse.conftest import add_sellers
from tests.coaching.pulse.conftest import bank as agree_questions
from tests.e2e.test_sign_in import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}
WE_WILL = "Every Friday I review one recorded call with each of you"


def bank() -> list[PulseQuestion]:
    """Three 1-5 questions and the 0-10 one, whose row of twelve choices must wrap on a phone."""
    return [*agree_questions(3), PulseQuestion.objects.get(key="enps")]


def _shots() -> Path:
    folder = Path(os.environ.get("PULSE_SHOTS_DIR") or settings.VAR_DIR / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


OUTSIDE: list[str] = []  # requests that left the live server, from every context


def _signed_in(browser, live_server, username: str, viewport: dict = PHONE):
    context = browser.new_context(base_url=live_server.url, viewport=viewport)
    page = context.new_page()
    page.on("request", lambda r: None if r.url.startswith(live_server.url) else OUTSIDE.append(r.url))
    page.goto(reverse("login"))
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#user-menu")).to_be_attached()
    return page


def _fits(page, name: str) -> None:
    """Screenshot, then: nothing wider than the screen, so nothing is cut off or scrolls sideways."""
    width = page.viewport_size["width"]
    page.screenshot(path=_shots() / f"{name}-{width}.png", full_page=True)
    overflow = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .map(e => e.tagName + '.' + e.className).slice(0, 5)"""
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, overflow)
    assert overflow == [], (name, overflow)


def _answer(page, pulse: Pulse, value: str, *, comment: str = "") -> None:
    page.goto(reverse("coaching:pulse-answer", args=[pulse.pk]))
    form = page.get_by_test_id("answer-form")
    for question in bank():
        form.get_by_role("group", name=question.text).get_by_label(value, exact=True).check()
    if comment:
        form.get_by_label("Anything else? (optional)").fill(comment)
    form.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("Your answers are in, with nothing that names you.")).to_be_visible()


def _open_pulse(owner) -> Pulse:
    today = timezone.localdate()
    return services.pulse_schedule(subject=owner, opens_on=today, closes_on=today, questions=bank(), by=owner.user)


def test_sellers_answer_on_a_phone_and_the_manager_acts_on_the_result(browser, live_server, org):
    owner = org["owner"]
    sellers = [org["seller"], *add_sellers(owner, 5, prefix="phone")]
    for seller in sellers:
        seller.user.set_password(PASSWORD)
        seller.user.save()
    first = _open_pulse(owner)

    # Four sellers answer on their phones; the first finds the pulse through the collapsed menu.
    phone = _signed_in(browser, live_server, sellers[0].user.username)
    phone.get_by_role("button", name="Toggle navigation").click()
    phone.locator("#main-nav").get_by_role("link", name="Team pulse").click()
    phone.get_by_test_id("to-answer").get_by_role("link").click()
    expect(phone.get_by_role("heading", name=f"Pulse about {owner.full_name}")).to_be_visible()
    _fits(phone, "pulse-answer")
    phone.set_viewport_size(DESKTOP)
    _fits(phone, "pulse-answer")
    phone.set_viewport_size(PHONE)
    _answer(phone, first, "4")
    phone.context.close()
    for seller, value in zip(sellers[1:4], ("5", "3", "4"), strict=True):
        phone = _signed_in(browser, live_server, seller.user.username)
        _answer(phone, first, value)
        phone.context.close()

    # The pulse closes with four answers: the manager sees that there are not enough to show.
    services.pulse_close(pulse=first)
    manager = _signed_in(browser, live_server, owner.user.username)
    manager.goto(reverse("coaching:pulse-detail", args=[first.pk]))
    expect(manager.get_by_test_id("result-status")).to_have_text("Not enough responses to show yet.")
    expect(manager.get_by_test_id("mean")).to_have_count(0)

    # The next pulse: the same four, and a fifth seller on the phone, meet the threshold.
    second = _open_pulse(owner)
    for seller, value in zip(sellers[:4], (4, 5, 3, 4), strict=True):
        services.pulse_answer(pulse=second, person=seller, answers={q.pk: value for q in bank()})
    phone = _signed_in(browser, live_server, sellers[4].user.username)
    _answer(phone, second, "2", comment="More feedback on calls, please.")
    phone.context.close()
    services.pulse_close(pulse=second)

    manager.goto(reverse("coaching:pulse-detail", args=[second.pk]))
    expect(manager.get_by_test_id("result-status")).to_have_count(0)
    expect(manager.get_by_test_id("mean")).to_have_count(3)
    expect(manager.get_by_test_id("enps")).to_have_count(1)
    expect(manager.get_by_test_id("result").locator('[data-status="shown"]')).to_have_count(len(bank()))
    _fits(manager, "pulse-results")

    # The manager turns the weakest question into a "you said, we will".
    question = bank()[1]
    form = manager.get_by_test_id("action-form")
    form.get_by_label("Focus item").select_option(label=question.text)
    form.get_by_label("You said").fill("Feedback on calls is rare.")
    form.get_by_label("We will").fill(WE_WILL)
    form.get_by_label("Due on").fill((timezone.localdate() + datetime.timedelta(days=14)).isoformat())
    form.get_by_role("button", name="Tell the team").click()
    expect(manager.get_by_text("Your team sees this on the pulse page.")).to_be_visible()
    expect(manager.get_by_test_id("action")).to_contain_text(WE_WILL)
    _fits(manager, "pulse-results-action")
    manager.set_viewport_size(DESKTOP)
    _fits(manager, "pulse-results-action")
    assert FeedbackAction.objects.get(pulse=second).question == question

    # A seller sees the action on Team pulse and on the pulse page, and no score.
    phone = _signed_in(browser, live_server, sellers[5].user.username)
    phone.goto(reverse("coaching:pulse-home"))
    expect(phone.get_by_test_id("team-action")).to_contain_text(WE_WILL)
    phone.get_by_test_id("my-team-pulses").get_by_role("link").first.click()
    expect(phone.get_by_test_id("action")).to_contain_text(WE_WILL)
    expect(phone.get_by_test_id("result")).to_have_count(0)
    _fits(phone, "pulse-seller-action")

    # And thanks a teammate from the phone; the feed shows it, and the manager's shows their coverage.
    phone.goto(reverse("coaching:recognition-give"))
    give = phone.get_by_test_id("give-form")
    give.get_by_label("Who").select_option(label=sellers[0].full_name)
    give.get_by_label("What they did").fill("Booked the Acme meeting from a cold call and shared the script.")
    give.get_by_label("Prospecting initiative").check()
    _fits(phone, "recognition-give")
    give.get_by_role("button", name="Say thanks").click()
    expect(phone.get_by_test_id("recognition")).to_contain_text("Booked the Acme meeting")
    _fits(phone, "recognition-feed")
    phone.set_viewport_size(DESKTOP)
    _fits(phone, "recognition-feed")
    phone.context.close()
    assert Recognition.objects.get().recipient == sellers[0]

    manager.set_viewport_size(PHONE)
    manager.goto(reverse("coaching:recognition-feed"))
    expect(manager.get_by_test_id("coverage-share")).to_have_text("17%")  # 1 of 6
    _fits(manager, "recognition-feed-manager")
    manager.set_viewport_size(DESKTOP)
    _fits(manager, "recognition-feed-manager")
    manager.context.close()
    assert OUTSIDE == []
