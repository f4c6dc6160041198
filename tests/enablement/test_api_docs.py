"""The API's docs pages (Swagger UI, Redoc) make the browser ask no other host for anything: not in the
page, not in its settings, not in the scripts and styles it loads."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from enablement.api.docs import BLANK_IMAGE, REDOC_BUNDLE, REDOCLY_BADGE, redoc_bundle_source

pytestmark = pytest.mark.django_db

ELSEWHERE = r"""(?:https?:)?//[^\s"'`()<>]+"""
# In a page, any address on another host (a link, an asset, a setting).
ANY_ADDRESS_ELSEWHERE = re.compile(r"(?:https?:)?//[\w.-]+\.[a-z]{2,}", re.IGNORECASE)
# In a script or style sheet, what the browser would fetch from another host: an element's src (HTML or
# a script's object literal), a CSS url() or @import. Links to documentation are not fetched.
FETCH_ELSEWHERE = re.compile(
    rf"""\bsrc\s*[:=]\s*["'`]?{ELSEWHERE}|url\(\s*["']?{ELSEWHERE}|@import\s+(?:url\(\s*)?["']?{ELSEWHERE}""",
    re.IGNORECASE,
)
# A setting whose default is another host's address (Swagger UI's online `validatorUrl`).
SETTING_ELSEWHERE = re.compile(rf"""\b(\w+Url)\s*:\s*["'`]{ELSEWHERE}""")


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace")


@pytest.mark.parametrize("name", ["api-docs", "api-redoc"])
def test_docs_pages_fetch_nothing_from_another_host(name):
    client = Client()
    page = _text(client.get(reverse(name)))
    assert ANY_ADDRESS_ELSEWHERE.findall(page) == []

    assets = re.findall(r"""\b(?:src|href)=["']([^"']+)["']""", page)
    assert assets, page
    for asset in assets:
        assert asset.startswith("/") and not asset.startswith("//"), asset
        response = client.get(asset)
        assert response.status_code == 200, asset
        text = _text(response)
        assert FETCH_ELSEWHERE.findall(text) == [], asset
        for setting in SETTING_ELSEWHERE.findall(text):
            assert re.search(rf'"{setting}":\s*null', page), f"{asset} defaults {setting} to another host"


def test_the_redoc_bundle_is_the_sidecars_with_redoclys_badge_blanked():
    sidecar = Path(finders.find(REDOC_BUNDLE)).read_bytes()
    source, digest = redoc_bundle_source()

    response = Client().get(reverse("api-redoc-bundle"), {"v": digest})

    assert response.status_code == 200
    assert response.content == source == sidecar.replace(REDOCLY_BADGE, BLANK_IMAGE)
    assert b"cdn.redoc.ly" not in source
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert "immutable" in response["Cache-Control"]
    assert f"?v={digest}" in _text(Client().get(reverse("api-redoc")))


def test_the_redoc_bundle_answers_anyone_and_only_reads():
    url = reverse("api-redoc-bundle")
    assert Client().get(url).status_code == 200
    assert "immutable" not in Client().get(url, {"v": "an-old-digest"}).get("Cache-Control", "")
    assert Client().post(url).status_code == 405
