"""No page is wider than a phone: at 390 px, for a manager, a seller and an interviewer on the demo data, every
page they reach from their home page and their menu (one page per URL shape: /coaching/plans/N/ once) keeps
`document.documentElement.scrollWidth` within the window. Tables either fit or scroll inside themselves.

One browser, one demo and one walk for the module. The hiring and My charter pages are fixed on other
branches; their widths are checked by a test of their own, marked xfail until those land."""

import re

import pytest

from enablement.org.demo import seed_demo
from managers.models import Interview
from tests.e2e.test_sign_in import _sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# Pages other engineers own and fix on their branches (drop the xfail when they are merged).
OTHERS = ("/hiring/", "/my-charter/", "/charters/")
SKIPPED = ("/accounts/logout", "/admin/", "/api/", "/static/", "/oidc/")


def _links(page) -> list[str]:
    """Every same-site link in the menu (groups included) and the page's own content."""
    hrefs = page.eval_on_selector_all(
        "#main-nav a[href], main a[href]", "links => links.map(a => a.getAttribute('href'))"
    )
    return [href.split("#")[0] for href in hrefs if href.startswith("/") and not href.startswith(SKIPPED)]


def _walk(browser, live_server, username: str) -> dict[str, int]:
    """{path: scrollWidth} for the home page and each page one click away from it, one per URL shape."""
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    _sign_in(page, username, "demo")
    page.wait_for_url(lambda url: "/accounts/login" not in url)
    widths = {page.url.removeprefix(live_server.url): page.evaluate("document.documentElement.scrollWidth")}
    shapes = {re.sub(r"\d+", "N", path) for path in widths}
    for path in _links(page):
        shape = re.sub(r"\d+", "N", path)
        if shape in shapes or not path:
            continue
        shapes.add(shape)
        response = page.goto(path)
        assert response is not None and response.ok, f"{username}: {path} answered {response and response.status}"
        widths[path] = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    return widths


def _interviewer() -> str:
    """A demo manager with an interview to do: they have the Hiring menu."""
    interviews = Interview.objects.filter(interviewer__user__username__startswith="manager")
    return interviews.select_related("interviewer__user").order_by("pk").first().interviewer.user.username


# The walk's widths, kept for the second test: one demo and one walk for the module (the database is flushed
# after each test, so the second test walks again only when run on its own).
_walked: dict[str, dict[str, int]] = {}


def _too_wide(browser, live_server, *, others: bool) -> list[str]:
    if not _walked:
        seed_demo()
        for username in ("manager2", "seller1", _interviewer()):
            _walked[username] = _walk(browser, live_server, username)
    return [
        f"{username}: {path} is {width}px wide"
        for username, widths in _walked.items()
        for path, width in widths.items()
        if path.startswith(OTHERS) == others and width > PHONE["width"]
    ]


def test_every_page_a_manager_a_seller_and_an_interviewer_reach_fits_a_phone(browser, live_server):
    assert _too_wide(browser, live_server, others=False) == []


@pytest.mark.xfail(strict=False, reason="fixed on branch h-hiring / h-charters")
def test_the_hiring_and_charter_pages_they_reach_fit_a_phone(browser, live_server):
    assert _too_wide(browser, live_server, others=True) == []
