"""scim2-tester's compliance checks against a live server, with a real `scim` token.

scim2-client's network engine needs httpx2, which is not installed here; `RequestsSCIMClient` is the
same engine over requests (already a dependency), so the checks really go over HTTP to `live_server`."""

from collections import Counter
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from scim2_client import BaseSyncSCIMClient
from scim2_models import ScimProvider
from scim2_tester import Status, check_server
from scim2_tester.utils import ResourceManager

from enablement.api.clients.services import api_client_create


class RequestsSCIMClient(BaseSyncSCIMClient):
    def __init__(self, base_url: str, token: str, **kwargs: Any):
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/") + "/"
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {token}"

    def _stays_under_base_url(self, endpoint: str) -> bool:
        url = urljoin(self.base_url, endpoint.lstrip("/"))
        return urlsplit(url).netloc == urlsplit(self.base_url).netloc and url.startswith(self.base_url)

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        target = url if urlsplit(url).scheme else urljoin(self.base_url, url.lstrip("/"))
        return self.session.request(method, target, timeout=30, **kwargs)


def _cleanup_once(manager: ResourceManager) -> None:
    """scim2-tester 0.5.2 cleans up after every check by deleting every resource it ever created, and never
    forgets one it deleted: three quarters of its ~720 requests are DELETEs answered 404. Forgetting them
    after their DELETE changes no check (cleanup results are not checks) and keeps the test quick."""
    _original_cleanup(manager)
    manager.resources.clear()


_original_cleanup = ResourceManager.cleanup


@pytest.mark.conformance
@pytest.mark.django_db(transaction=True)
def test_scim2_tester_checks_all_pass_and_none_errors(live_server, settings, monkeypatch):
    monkeypatch.setattr(ResourceManager, "cleanup", _cleanup_once)
    # The tester sends ~900 requests in well under a minute: over the API's burst rate, which SCIM shares.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {}}
    _, token = api_client_create(name="Okta", scopes=["scim"], by=None)
    client = RequestsSCIMClient(f"{live_server.url}/scim/v2", token, provider=ScimProvider())

    results = check_server(client)

    counts = Counter(r.status.name for r in results)
    errors = [_line(r) for r in results if r.status in (Status.ERROR, Status.CRITICAL)]
    assert errors == [], f"{dict(counts)}\n" + "\n".join(errors)
    others = [_line(r) for r in results if r.status is not Status.SUCCESS]
    assert others == [], f"{dict(counts)}\n" + "\n".join(others)
    assert counts[Status.SUCCESS.name] >= 81, dict(counts)


def _line(result) -> str:
    return f"{result.status.name} {result.resource_type or ''} {result.title}: {result.reason}"
