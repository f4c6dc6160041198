"""A real browser (Debian's Chromium, driven by Playwright) against pytest-django's live server."""

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import service_missing

# Playwright's sync API runs an event loop in this thread; the tests' own ORM calls are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
# Without these, Chromium keeps trying to reach Google's services, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        service_missing(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context, recording every request that leaves the live server."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.outside_requests = []
    page.on(
        "request",
        lambda request: None if request.url.startswith(live_server.url) else page.outside_requests.append(request.url),
    )
    yield page
    context.close()


@pytest.fixture(autouse=True)
def pulse_question_bank(transactional_db):
    """Browser tests run against a flushed database, which takes the question bank its migration seeded
    (and one browser test before another leaves none): put it back, as the migration would."""
    from coaching.models import PulseQuestion
    from coaching.pulse.question_bank import question_bank_load
    from managers.models import Competency

    question_bank_load(PulseQuestion, Competency)
