"""No /api/ route answers without credentials or with a token lacking its scopes, on the demo's data (every
route's ids those of real objects). The rest of the API's protection: test_api_protection.py."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from enablement.api.clients.services import api_client_create
from tests.helpers import token_client

pytestmark = pytest.mark.django_db


DOCS = {"/api/schema/", "/api/docs/", "/api/redoc/", "/api/redoc/redoc.standalone.js"}


def _api_routes(patterns=None, prefix: str = "/"):
    """(path regex, view) of every URL pattern under /api/."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            yield from _api_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and route.startswith("/api/"):
            yield route, pattern.callback


def _existing_id(callback) -> int:
    view_class = getattr(callback, "cls", None)
    serializer = getattr(view_class, "output_serializer_class", None) or getattr(view_class, "serializer_class", None)
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    row = model._default_manager.order_by("pk").first() if model is not None else None
    assert model is None or row is not None, f"no {model.__name__} in the demo data"
    return row.pk if row is not None else 1


def _url(route: str, callback) -> str:
    """The route with its id an existing object's and a format suffix as `.json`."""
    route = re.sub(r"\(\?P<format>[^)]*\)/\?|<drf_format_suffix:format>", "json", route)
    route = route.replace("<drf_format_suffix:", "")
    route = re.sub(r"\(\?P<\w+>[^)]*\)", str(_existing_id(callback)), route)
    return route.replace("\\.", ".").replace("/json", "/.json")


def _methods(callback) -> list[str]:
    actions = getattr(callback, "actions", None)
    if actions:
        return sorted(set(actions))
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    names = getattr(view_class, "http_method_names", ["get", "post"])
    return [name for name in names if name in {"get", "post", "put", "patch", "delete"}]


def test_no_api_route_answers_without_credentials_or_with_a_token_lacking_scopes(demo_db, hr_admin):
    """Given the demo data, when every /api/ route (its path ids those of real objects) is called with each
    of its methods, anonymously and with a token holding only the SCIM scope, then each answer is a 401 or
    a 403: only the schema and its docs answer."""
    _client, token = api_client_create(name="Provisioning", scopes=["scim"], by=hr_admin, hr_admin=True)
    callers = {"anonymous": APIClient(), "scope-less token": token_client(token)}
    routes = [(route, callback) for route, callback in _api_routes() if route not in DOCS]
    assert len(routes) > 30, routes

    reached = []
    for route, callback in routes:
        url = _url(route, callback)
        for method in _methods(callback):
            for name, caller in callers.items():
                status = getattr(caller, method)(url, {}, format="json").status_code
                if status not in (401, 403):
                    reached.append((name, method, url, status))
    assert reached == []
    for docs in DOCS:
        assert APIClient().get(docs).status_code == 200
