"""The API's docs pages in a real browser: every request they make stays on the platform's host."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("name", "script"), [("api-docs", "swagger-ui-bundle.js"), ("api-redoc", "redoc.standalone.js")]
)
def test_api_docs_make_no_request_to_another_host(page, live_server, name, script):
    requests = []
    page.on("request", lambda request: requests.append(request.url))

    page.goto(reverse(name))
    # Redoc reads and draws the whole schema before the title shows: 2.6 s on an idle 2-core machine, and more
    # than 30 s once (CI, "Loading ..." still showing) with both legs' workers on the same cores. This test is
    # about where requests go, not about speed, so it waits as long as a slow machine needs.
    expect(page.get_by_text("Sales Manager Enablement API").first).to_be_visible(timeout=120_000)
    page.wait_for_load_state("networkidle")  # and whatever is loaded once it is drawn (Redoc's sidebar badge)

    assert any(script in url for url in requests), requests
    host = urlsplit(live_server.url).netloc
    network = [url for url in requests if urlsplit(url).scheme not in {"data", "blob"}]
    assert [url for url in network if urlsplit(url).netloc != host] == []
