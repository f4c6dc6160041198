"""How the API protects itself: one JSON error shape for every error, per-caller throttles, a request size
limit, no route reachable without credentials, tokens that die with their creator's rights, refused tokens
logged against their client, the request log pruned, and the API clients page paginated."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import OperationalError
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from enablement.accounts import roles
from enablement.api.clients.services import api_client_create, api_client_revoke, api_request_log_prune
from enablement.api.scopes import API_SCOPES
from enablement.api.tasks import prune_api_request_log_task
from enablement.models import ApiClient, ApiRequestLog, IdempotencyRecord
from tests.enablement.factories import UserFactory

pytestmark = pytest.mark.django_db

ERROR_KEYS = {"status", "code", "detail"}


def _token_client(token: str, **extra) -> APIClient:
    client = APIClient(**extra)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def hr_client(hr_admin):
    """An HR system's client with every scope, acting as an HR admin and a recruiter, and its token."""
    client, token = api_client_create(name="Workday", scopes=API_SCOPES.keys(), by=hr_admin, hr_admin=True)
    client.user.groups.add(Group.objects.get(name=roles.RECRUITER))
    return client, token


@pytest.fixture
def fast_throttle(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"burst": "3/min", "sustained": "1000/hour"},
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counts live in the cache: each test starts from none."""
    from django.core.cache import cache

    cache.clear()


def _assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == status and body["code"] == code, body
    assert isinstance(body["detail"], str) and body["detail"]
    assert set(body) == ERROR_KEYS | ({"errors"} if code == "invalid" else set()), body
    return body


# One error shape.


def test_errors_answered_by_drf_have_one_shape(hr_client, org):
    _client, token = hr_client
    api = _token_client(token)

    _assert_error(APIClient().get(reverse("requisition-list")), 401, "not_authenticated")
    _assert_error(_token_client("ema_nope").get(reverse("requisition-list")), 401, "authentication_failed")
    _assert_error(api.get(reverse("requisition-detail", args=[999999])), 404, "not_found")
    _assert_error(api.delete(reverse("decision-list")), 405, "method_not_allowed")
    _assert_error(api.post(reverse("candidate-list"), "x", content_type="text/plain"), 415, "unsupported_media_type")
    _assert_error(api.post(reverse("candidate-list"), "{", content_type="application/json"), 400, "parse_error")
    scoped, scoped_token = api_client_create(name="LMS", scopes=["competencies:read"], by=None)
    _assert_error(_token_client(scoped_token).get(reverse("requisition-list")), 403, "permission_denied")


def test_a_validation_error_lists_its_fields_under_errors(hr_client):
    _client, token = hr_client
    response = _token_client(token).post(reverse("candidate-list"), {"email": "not an email"}, format="json")
    body = _assert_error(response, 400, "invalid")
    assert set(body["errors"]) == {"email", "first_name", "last_name"}
    assert body["detail"] == "The request is not valid: see errors for what to change."


def test_django_answers_for_api_paths_are_json_too(hr_client):
    _client, token = hr_client
    _assert_error(_token_client(token).get("/api/v1/no-such-thing/"), 404, "not_found")
    _assert_error(_token_client(token).get("/api/v1/requisitions/not-a-number/"), 404, "not_found")
    page = APIClient().get("/no-such-page/")
    assert page.status_code == 404 and not page["Content-Type"].startswith("application/json")


def test_an_unexpected_exception_is_a_json_500_and_is_logged(hr_client, monkeypatch, caplog):
    _client, token = hr_client

    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("managers.api.hiring_views.CompetencyViewSet.list", crash)
    response = _token_client(token, raise_request_exception=False).get(reverse("competency-list"))

    _assert_error(response, 500, "error")
    assert "boom" not in response.content.decode()
    assert any(record.levelname == "ERROR" and record.exc_info for record in caplog.records)
    assert ApiRequestLog.objects.get().status_code == 500


def test_an_idempotent_replay_of_a_4xx_kept_in_the_old_shape_gets_the_new_one(hr_client):
    _client, token = hr_client
    body = {"email": "not an email"}
    first = _token_client(token).post(reverse("candidate-list"), body, format="json", HTTP_IDEMPOTENCY_KEY="k")
    IdempotencyRecord.objects.update(response_body='{"email": ["Enter a valid email address."]}')

    again = _token_client(token).post(reverse("candidate-list"), body, format="json", HTTP_IDEMPOTENCY_KEY="k")

    assert first.status_code == 400 and again["Idempotent-Replayed"] == "true"
    replayed = _assert_error(again, 400, "invalid")
    assert replayed["errors"] == {"email": ["Enter a valid email address."]}


# Throttling.


def test_a_client_over_its_rate_gets_429_and_another_client_is_unaffected(
    hr_client, hr_admin, fast_throttle, monkeypatch
):
    # 20 seconds before the end of a one-minute window.
    monkeypatch.setattr("enablement.api.throttling.CallerRateThrottle.timer", staticmethod(lambda: 1_000_000.0))
    _client, token = hr_client
    _other, other_token = api_client_create(name="LMS", scopes=["competencies:read"], by=hr_admin)
    api, other = _token_client(token), _token_client(other_token)
    url = reverse("competency-list")

    assert [api.get(url).status_code for _ in range(3)] == [200, 200, 200]
    throttled = api.get(url)

    body = _assert_error(throttled, 429, "throttled")
    assert throttled["Retry-After"] == "20"
    assert body["detail"] == "Request was throttled. Expected available in 20 seconds."
    assert other.get(url).status_code == 200
    assert ApiRequestLog.objects.filter(status_code=429).count() == 1


def test_sessions_are_throttled_per_person(org, fast_throttle):
    leader, owner = APIClient(), APIClient()
    leader.force_login(org["leader"].user)
    owner.force_login(org["owner"].user)
    url = reverse("competency-list")

    assert [leader.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert owner.get(url).status_code == 200


def test_anonymous_callers_are_throttled_by_address():
    from rest_framework.test import APIRequestFactory

    from enablement.api.throttling import BurstRateThrottle

    factory = APIRequestFactory()
    request = factory.get("/api/v1/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1")
    request.user, request.auth = None, None
    # No trusted proxy: the address is the connection's, whatever X-Forwarded-For claims.
    assert BurstRateThrottle().caller(request) == "ip:203.0.113.9"


# Request size.


def test_a_body_larger_than_the_limit_is_a_413_and_nothing_is_read(hr_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    _client, token = hr_client
    body = {"email": "dana@mail.example", "first_name": "Dana", "last_name": "x" * 2000}

    response = _token_client(token).post(reverse("candidate-list"), body, format="json")

    _assert_error(response, 413, "request_too_large")
    keyed = _token_client(token).post(reverse("candidate-list"), body, format="json", HTTP_IDEMPOTENCY_KEY="big")
    _assert_error(keyed, 413, "request_too_large")
    assert not IdempotencyRecord.objects.exists()


def test_the_default_limit_takes_a_bulk_request_of_a_thousand_people(settings):
    from django.conf import settings as live

    row = '{"external_id": "HR-000001", "first_name": "Dana", "last_name": "Whitfield", "email": "dana.whitfield@sales.example", "title": "Frontline Sales Manager, Enterprise", "team": "T-ENTERPRISE-EAST", "manager": "HR-000002", "employment_status": "active", "start_date": "2024-01-15"}'  # noqa: E501
    assert 1000 * (len(row) + 2) < live.DATA_UPLOAD_MAX_MEMORY_SIZE


def test_the_request_too_large_exception_from_django_is_a_413(hr_client, monkeypatch):
    from django.core.exceptions import RequestDataTooBig

    _client, token = hr_client

    def too_big(*args, **kwargs):
        raise RequestDataTooBig("too big")

    monkeypatch.setattr("managers.api.hiring_views.CompetencyViewSet.list", too_big)
    _assert_error(_token_client(token).get(reverse("competency-list")), 413, "request_too_large")


# No route without credentials.

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


def test_no_api_route_answers_without_credentials_or_with_a_token_lacking_scopes(demo_data, hr_admin):
    """Given the demo data, when every /api/ route (its path ids those of real objects) is called with each
    of its methods, anonymously and with a token holding only the SCIM scope, then each answer is a 401 or
    a 403: only the schema and its docs answer."""
    _client, token = api_client_create(name="Provisioning", scopes=["scim"], by=hr_admin, hr_admin=True)
    callers = {"anonymous": APIClient(), "scope-less token": _token_client(token)}
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


# Tokens: the creator's rights, refused attempts logged.


def test_a_token_stops_working_when_its_creator_is_no_longer_an_hr_admin(hr_admin):
    client, token = api_client_create(name="Workday", scopes=["competencies:read"], by=hr_admin)
    url = reverse("competency-list")
    assert _token_client(token).get(url).status_code == 200

    hr_admin.groups.remove(Group.objects.get(name=roles.HR_ADMIN))
    response = _token_client(token).get(url)

    body = _assert_error(response, 401, "authentication_failed")
    assert "no longer an HR admin" in body["detail"]
    assert ApiRequestLog.objects.filter(client=client).values_list("status_code", flat=True)[0] == 401
    hr_admin.groups.add(Group.objects.get(name=roles.HR_ADMIN))
    assert _token_client(token).get(url).status_code == 200


def test_a_token_stops_working_when_its_creator_is_deactivated_but_a_command_line_one_does_not(hr_admin):
    _client, token = api_client_create(name="Workday", scopes=["competencies:read"], by=hr_admin)
    _scripted, scripted_token = api_client_create(name="Script", scopes=["competencies:read"], by=None)
    type(hr_admin).objects.filter(pk=hr_admin.pk).update(is_active=False)

    _assert_error(_token_client(token).get(reverse("competency-list")), 401, "authentication_failed")
    assert _token_client(scripted_token).get(reverse("competency-list")).status_code == 200


def test_a_superuser_creator_keeps_the_token_working(db):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    _client, token = api_client_create(name="Workday", scopes=["competencies:read"], by=admin)
    assert _token_client(token).get(reverse("competency-list")).status_code == 200


def test_refused_attempts_naming_a_real_client_are_logged_against_it(hr_client, hr_admin):
    client, token = hr_client
    url = reverse("competency-list")
    _token_client(f"ema_{client.prefix}_{'A' * 43}").get(url)  # the right prefix, a wrong secret
    api_client_revoke(client=client, by=hr_admin)
    _token_client(token).get(url)
    _token_client(f"ema_ffffffff_{'A' * 43}").get(url)  # no such client: nothing to log it against

    logged = list(ApiRequestLog.objects.order_by("pk").values_list("client", "method", "path", "status_code"))
    assert logged == [(client.pk, "GET", url, 401), (client.pk, "GET", url, 401)]


def test_a_refused_attempt_whose_log_write_fails_is_still_a_401(hr_client, monkeypatch):
    client, _token = hr_client

    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(ApiRequestLog.objects, "create", locked)
    response = _token_client(f"ema_{client.prefix}_{'A' * 43}").get(reverse("competency-list"))
    _assert_error(response, 401, "authentication_failed")


# The request log: pruned.


def _log_at(client: ApiClient, days_ago: int, count: int = 1) -> None:
    at = timezone.now() - timedelta(days=days_ago)
    ApiRequestLog.objects.bulk_create(
        ApiRequestLog(client=client, method="GET", path="/api/v1/x/", status_code=200, created_at=at)
        for _ in range(count)
    )


def test_prune_deletes_only_rows_older_than_the_retention_in_batches(hr_client):
    client, _token = hr_client
    _log_at(client, days_ago=91, count=7)
    _log_at(client, days_ago=89, count=2)

    deleted = api_request_log_prune(older_than=timedelta(days=90), batch_size=3)

    assert deleted == 7
    assert ApiRequestLog.objects.count() == 2


def test_prune_task_uses_the_retention_setting_and_running_twice_deletes_once(hr_client, settings):
    settings.API_REQUEST_LOG_RETENTION_DAYS = 30
    client, _token = hr_client
    _log_at(client, days_ago=31, count=3)
    _log_at(client, days_ago=29)

    assert prune_api_request_log_task.delay().get() == 3
    assert prune_api_request_log_task.delay().get() == 0
    assert ApiRequestLog.objects.count() == 1


def test_prune_task_is_scheduled_daily():
    from django_celery_beat.models import PeriodicTask

    from enablement.bootstrap import ensure_periodic_tasks

    ensure_periodic_tasks()
    scheduled = PeriodicTask.objects.get(task=prune_api_request_log_task.name)
    assert (scheduled.interval.every, scheduled.interval.period) == (24 * 60 * 60, "seconds")


# The API clients page: paginated, in a bounded number of queries.


def test_api_client_list_is_paginated_in_bounded_queries(client, hr_admin, django_assert_max_num_queries):
    for number in range(55):
        api_client_create(name=f"Client {number:02}", scopes=["people:read"], by=hr_admin, hr_admin=number % 2 == 0)
    client.force_login(hr_admin)
    url = reverse("enablement:api-client-list")

    with django_assert_max_num_queries(10):
        first = client.get(url)
    with django_assert_max_num_queries(10):
        second = client.get(url, {"page": 2})

    assert len(first.context["page"].object_list) == 50 and "Page 1 of 2" in first.content.decode()
    assert [c.name for c in second.context["page"].object_list] == [f"Client {n}" for n in range(50, 55)]
    assert client.get(url, {"page": "nope"}).status_code == 200


# Fixes schemathesis found (PostgreSQL refused what SQLite took).


def test_decided_after_with_an_offset_postgresql_cannot_store_is_answered(hr_client):
    _client, token = hr_client
    api = _token_client(token)
    assert api.get(reverse("decision-list"), {"decided_after": "0742-12-18T00:48:05.82+23:39"}).status_code == 200
    too_early = api.get(reverse("decision-list"), {"decided_after": "0001-01-01T00:00:00+01:00"})
    assert "decided_after" in _assert_error(too_early, 400, "invalid")["errors"]


def test_a_key_with_a_nul_character_does_not_exist():
    from rest_framework.exceptions import ValidationError

    from enablement.api.base import KeyRelatedField
    from managers.models import Competency

    field = KeyRelatedField(slug_field="key", queryset=Competency.objects.all())
    with pytest.raises(ValidationError, match="does not exist"):
        field.run_validation("coach\x00ing")


def test_the_browsable_api_keeps_its_own_error_page(org):
    browser = APIClient()
    browser.force_login(org["leader"].user)
    response = browser.get(reverse("requisition-detail", args=[999999]), HTTP_ACCEPT="text/html")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")
