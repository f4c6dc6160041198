"""Hostile input is a 400 with a clear message, never a 500, and writes nothing (issue 12, item 3).

Every list filter and every writable field come from the API's own OpenAPI description, so a filter or a field
added later is covered without touching this file. The same tests run on SQLite and PostgreSQL (CI runs the
suite once with each `DATABASE_URL`), where the same value fails differently: PostgreSQL refuses a NUL in any
text parameter, SQLite overflows on an id beyond 64 bits, and neither can store or answer an unpaired surrogate.

Given a signed-in superuser (so no permission stands between a request and its body), when it sends a hostile
value, then the answer is a 400 in the API's error shape naming the parameter or field (`enablement/api/errors.py`),
and no table has a row more or less. Page tests at the end: ids in paths, the heatmap's team, and forms.
"""

import json
import re
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from enablement.api.parsers import MAX_JSON_DEPTH
from enablement.models import ApiRequestLog
from managers.models import Role
from tests.managers.factories import CompetencyFactory

# The values, by class.
NUL = "E-1\x00"
SURROGATE = "E-\ud800-1"
UTF7_SURROGATE = "%2B2AA-"  # "+2AA-": U+D800 once decoded as UTF-7 (%2B, since a bare + is a space)
HOSTILE_IDS = ["²", "١", "1_0", "-1", " 1", "99999999999999999999", "9223372036854775808"]
PATH_IDS = ["%C2%B2", "%D9%A1", "99999999999999999999"]  # ², ١ (which int() reads as 1), beyond 64 bits
BIG_NUMBERS = ["1" + "0" * 30, "-1e400"]  # JSON text: 10**30, and a float beyond any
DEEP_BODIES = {
    "1,000 nested arrays (2 KB)": "[" * 1000 + "]" * 1000,
    f"objects {MAX_JSON_DEPTH + 1} deep": '{"a":' * (MAX_JSON_DEPTH + 1) + "1" + "}" * (MAX_JSON_DEPTH + 1),
}
PAGINATION = {"page", "page_size"}  # DRF's: a page that does not exist is a 404, a bad size the default
SOME_ID = "1"  # for `{id}` in paths: a body is refused before any lookup, so the object need not exist


# What the schema says.


def _schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


SCHEMA = _schema()


def _resolve(schema: dict) -> dict:
    while "$ref" in schema:
        schema = SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _types(schema: dict) -> set[str]:
    schema = _resolve(schema)
    types = schema.get("type", [])
    found = {types} if isinstance(types, str) else set(types)
    if "enum" in schema:
        found |= {type(value).__name__ for value in schema["enum"] if value is not None}
    for alternative in schema.get("oneOf", []) + schema.get("anyOf", []) + schema.get("allOf", []):
        found |= _types(alternative)
    return found


def _leaves(schema: dict, path: tuple = ()) -> Iterator[tuple[tuple, set[str]]]:
    """Every writable value of a request body: its path (a list's item as "0") and its JSON types."""
    schema = _resolve(schema)
    types = _types(schema)
    if "object" in types and "properties" in schema:
        for name, field in schema["properties"].items():
            if not _resolve(field).get("readOnly") and not field.get("readOnly"):
                yield from _leaves(field, (*path, name))
    elif "array" in types and "items" in schema:
        yield from _leaves(schema["items"], (*path, "0"))
    elif path:
        yield path, types


def _operations() -> Iterator[tuple[str, str, dict]]:
    for path, operations in SCHEMA["paths"].items():
        for method, operation in operations.items():
            if path.startswith("/api/v1/") and method in {"get", "post", "put", "patch", "delete"}:
                yield method, path, operation


def _url(path: str) -> str:
    return path.replace("{id}", SOME_ID)


def _filters() -> list[tuple[str, str, str]]:
    found = []
    for method, path, operation in _operations():
        if method == "get" and "{" not in path:
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and parameter["name"] not in PAGINATION:
                    schema = parameter.get("schema", {})
                    kind = "choice" if "enum" in _resolve(schema) else "id" if "integer" in _types(schema) else "text"
                    found.append((path, parameter["name"], kind))
    return found


def _body_fields(media_type: str = "application/json") -> list[tuple[str, str, tuple, frozenset]]:
    found = []
    for method, path, operation in _operations():
        content = operation.get("requestBody", {}).get("content", {})
        if media_type in content:
            found += [
                (method, path, field, frozenset(types)) for field, types in _leaves(content[media_type]["schema"])
            ]
    return found


LIST_FILTERS = _filters()
BODY_FIELDS = _body_fields()
TEXT_FIELDS = [(method, path, field) for method, path, field, types in BODY_FIELDS if "string" in types]
NUMBER_FIELDS = [(method, path, field) for method, path, field, types in BODY_FIELDS if types & {"integer", "number"}]
JSON_OPERATIONS = sorted({(method, path) for method, path, _field, _types in BODY_FIELDS})
# Forms are flat: their fields are the top-level ones.
FORM_FIELDS = [
    (method, path, field[0])
    for method, path, field, types in _body_fields("application/x-www-form-urlencoded")
    if len(field) == 1 and "string" in types
]


def _routes(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    """Every URL pattern with its whole route ("api/v1/^people/$", "coaching/plans/<id:pk>/")."""
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern, route)
        else:
            yield route, pattern


def _id(value: object) -> str:
    if isinstance(value, tuple):
        return ".".join(value)
    return str(value).encode("unicode_escape").decode("ascii")


def test_the_schema_yields_the_known_filters_and_fields():
    """Guards the discovery itself: an empty list would make every test below pass vacuously."""
    assert ("/api/v1/people/", "external_id", "text") in LIST_FILTERS
    assert ("/api/v1/people/", "employment_status", "choice") in LIST_FILTERS
    assert ("/api/v1/applications/", "requisition", "id") in LIST_FILTERS
    assert ("post", "/api/v1/people/bulk/", ("people", "0", "external_id")) in TEXT_FIELDS
    assert ("post", "/api/v1/assessments/", ("source",)) in TEXT_FIELDS
    assert ("post", "/api/v1/tasks/", ("kind",)) in TEXT_FIELDS
    assert ("post", "/api/v1/assessments/", ("person",)) in NUMBER_FIELDS
    assert ("post", "/api/v1/teams/", "external_id") in FORM_FIELDS
    assert len(LIST_FILTERS) >= 20 and len(TEXT_FIELDS) >= 60 and len(JSON_OPERATIONS) >= 20


def test_every_api_view_parses_with_the_checking_parsers():
    """A view naming DRF's own parsers (`parser_classes = [JSONParser]`) would skip every check below."""
    views = [
        (route, pattern.callback)
        for route, pattern in _routes(get_resolver())
        if route.startswith("api/v1/") and hasattr(pattern.callback, "cls")
    ]
    unchecked = {
        f"{route} {parser.__module__}.{parser.__name__}"
        for route, view in views
        for parser in view.initkwargs.get("parser_classes", view.cls.parser_classes)
        if parser.__module__ != "enablement.api.parsers"
    }
    assert len(views) >= 40 and unchecked == set()


# Fixtures and helpers.


@pytest.fixture
def api(db, django_user_model) -> APIClient:
    """A superuser, signed in: no permission stands between a request and its body. (The token path adds only
    authentication before the same parsers and filters; tests/enablement/test_api_protection.py covers it.)"""
    cache.clear()  # throttle counts: a test's superuser gets the same id as the last one's on SQLite
    api = APIClient()
    api.force_authenticate(django_user_model.objects.create(username="hostile", is_superuser=True))
    return api


def _row_counts() -> tuple[int, ...]:
    """The row count of every table of the platform's apps, in one query (a test sends one request, and
    counting table by table costs more than the request on PostgreSQL)."""
    labels = {"auth", "enablement", "managers", "coaching", "webhooks"}
    tables = sorted(
        {model._meta.db_table for model in apps.get_models() if model._meta.app_label in labels}
        - {ApiRequestLog._meta.db_table}
    )
    with connection.cursor() as cursor:
        quote = connection.ops.quote_name
        # Table names from the models, quoted: nothing from outside goes into this SQL.
        counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)  # noqa: S608
        cursor.execute(f"SELECT {counts}")
        return tuple(cursor.fetchone())


@pytest.fixture
def nothing_written(db):
    """Asserts after the test that no row was added to or removed from any table."""
    before = _row_counts()
    yield
    assert _row_counts() == before


def _nested(path: tuple, value: object) -> object:
    """`value` at `path` in an otherwise empty body (a "0" step is a list's first item)."""
    for step in reversed(path):
        value = [value] if step == "0" else {step: value}
    return value


def _at(errors: dict, path: tuple) -> list[str]:
    node = errors
    for step in path:
        assert isinstance(node, dict) and step in node, f"no errors at {'.'.join(path)}: {errors}"
        node = node[step]
    return node


def _send(api: APIClient, method: str, path: str, body: str, content_type: str = "application/json"):
    return getattr(api, method)(_url(path), body, content_type=content_type)


def _error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert (body["status"], body["code"]) == (status, code), body
    return body


# Bodies.


@pytest.mark.parametrize("body", DEEP_BODIES.values(), ids=DEEP_BODIES.keys())
@pytest.mark.parametrize(("method", "path"), JSON_OPERATIONS, ids=_id)
def test_a_deeply_nested_json_body_is_a_parse_error(api, nothing_written, method, path, body):
    detail = _error(_send(api, method, path, body), 400, "parse_error")["detail"]
    assert detail == f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep."


@pytest.mark.parametrize("value", [NUL, SURROGATE], ids=_id)
@pytest.mark.parametrize(("method", "path", "field"), TEXT_FIELDS, ids=_id)
def test_a_nul_or_lone_surrogate_in_any_writable_string_field_is_a_400_naming_it(
    api, nothing_written, method, path, field, value
):
    body = json.dumps(_nested(field, value))  # ASCII: the surrogate travels as the escape "\ud800"
    errors = _error(_send(api, method, path, body), 400, "invalid")["errors"]
    expected = "Null characters are not allowed." if "\x00" in value else "Unpaired surrogates"
    assert any(message.startswith(expected) for message in _at(errors, field))


@pytest.mark.parametrize("number", BIG_NUMBERS)
@pytest.mark.parametrize(("method", "path", "field"), NUMBER_FIELDS, ids=_id)
def test_an_out_of_range_number_in_any_numeric_field_is_a_400_naming_it(
    api, nothing_written, method, path, field, number
):
    body = json.dumps(_nested(field, "NUMBER")).replace('"NUMBER"', number)
    errors = _error(_send(api, method, path, body), 400, "invalid")["errors"]
    assert _at(errors, field) == ["This number is out of range: keep it within ±9223372036854775807."]


def test_a_field_name_with_a_nul_is_a_400_about_the_body(api, nothing_written):
    errors = _error(_send(api, "post", "/api/v1/teams/", '{"na\\u0000me": "Sales"}'), 400, "invalid")["errors"]
    assert errors == {"non_field_errors": ["A field name has a null character or an unpaired surrogate."]}


def test_a_json_body_in_utf7_carrying_a_raw_surrogate_is_a_400(api, nothing_written):
    body = '{"people": [{"external_id": "+2AA-"}]}'
    response = _send(api, "post", "/api/v1/people/bulk/", body, "application/json; charset=utf-7")
    assert "Unpaired surrogates" in _error(response, 400, "invalid")["errors"]["people"]["0"]["external_id"][0]


def test_a_json_body_that_is_not_utf8_is_a_parse_error(api, nothing_written):
    response = api.post("/api/v1/teams/", b'{"name": "\xed\xa0\x80"}', content_type="application/json")
    assert "utf-8" in _error(response, 400, "parse_error")["detail"]


@pytest.mark.parametrize(("method", "path", "field"), FORM_FIELDS, ids=_id)
def test_a_nul_or_utf7_surrogate_in_any_form_field_is_a_400_naming_it(api, nothing_written, method, path, field):
    form = "application/x-www-form-urlencoded"
    errors = _error(_send(api, method, path, f"{field}=E%00", form), 400, "invalid")["errors"]
    assert errors[field] == ["Null characters are not allowed."]
    response = _send(api, method, path, f"{field}={UTF7_SURROGATE}", f"{form}; charset=utf-7")
    assert _error(response, 400, "invalid")["errors"][field][0].startswith("Unpaired surrogates")


def test_a_nul_in_a_multipart_form_is_a_400_naming_the_field(api, nothing_written):
    errors = _error(api.post("/api/v1/teams/", {"name": "Sales\x00", "external_id": "T-9"}), 400, "invalid")["errors"]
    assert errors == {"name": ["Null characters are not allowed."]}


# List filters.


def _get(api: APIClient, path: str, query: str, **extra):
    return api.get(f"{path}?{query}", **extra)


@pytest.mark.parametrize(("path", "name", "kind"), LIST_FILTERS, ids=_id)
def test_a_nul_in_any_list_filter_is_a_400_naming_it(api, nothing_written, path, name, kind):
    errors = _error(_get(api, path, f"{name}=1%00"), 400, "invalid")["errors"]
    assert errors == {name: ["Null characters are not allowed."]}


@pytest.mark.parametrize(("path", "name", "kind"), LIST_FILTERS, ids=_id)
def test_a_lone_surrogate_in_any_list_filter_is_a_400_naming_it(api, nothing_written, path, name, kind):
    # Only a query string decoded in the request's declared charset (here UTF-7) can carry one.
    response = _get(api, path, f"{name}={UTF7_SURROGATE}", content_type="text/plain; charset=utf-7")
    [message] = _error(response, 400, "invalid")["errors"][name]
    assert message.startswith("Unpaired surrogates")


@pytest.mark.parametrize("value", HOSTILE_IDS, ids=_id)
@pytest.mark.parametrize(("path", "name"), [(path, name) for path, name, kind in LIST_FILTERS if kind == "id"], ids=_id)
def test_an_id_filter_takes_only_ascii_digits_within_64_bits(api, nothing_written, path, name, value):
    errors = _error(api.get(path, {name: value}), 400, "invalid")["errors"]
    assert errors == {name: ["Give an id: digits 0-9, at most 9223372036854775807."]}


@pytest.mark.parametrize("value", ["nope", "²", "Active"], ids=_id)
@pytest.mark.parametrize(
    ("path", "name"), [(path, name) for path, name, kind in LIST_FILTERS if kind == "choice"], ids=_id
)
def test_a_choice_filter_takes_only_its_choices(api, nothing_written, path, name, value):
    [message] = _error(api.get(path, {name: value}), 400, "invalid")["errors"][name]
    assert message.startswith("Choose one of: ")


# An empty cursor starts a sync instead (tests/enablement/test_sync.py).
@pytest.mark.parametrize(("path", "name"), [(path, name) for path, name, _k in LIST_FILTERS if name != "changed_since"])
def test_an_empty_filter_is_no_filter(api, path, name):
    response = api.get(path, {name: ""})
    assert response.status_code == 200 and "count" in response.json()


@pytest.mark.parametrize("value", ["1%00", *HOSTILE_IDS], ids=_id)
@pytest.mark.parametrize("name", sorted(PAGINATION))
def test_pagination_parameters_keep_drf_answers(api, name, value):
    """A page that is no page is a 404 "Invalid page." and a size that is no size the default (DRF's contract,
    which the schema documents; like `int`, it reads "١" and " 1" as 1); neither reaches a query."""
    response = api.get(f"/api/v1/people/?{name}={value}")
    assert response.status_code in ({200, 404} if name == "page" else {200})


def _detail_paths() -> list[str]:
    return sorted({path for method, path, _operation in _operations() if method == "get" and "{id}" in path})


@pytest.mark.parametrize("value", [*PATH_IDS, "1_0"])
@pytest.mark.parametrize("path", _detail_paths())
def test_an_api_path_id_that_is_no_id_is_a_404(api, path, value):
    _error(api.get(path.replace("{id}", value)), 404, "not_found")


# Pages.


# Not ours to change: Django's admin.
NOT_OURS = ("admin/",)
ID_ROUTES = sorted(
    route for route, pattern in _routes(get_resolver()) if not route.startswith(NOT_OURS) and "<id:" in route
)


def test_page_routes_take_ids_only_through_the_id_converter():
    int_routes = [
        route
        for route, pattern in _routes(get_resolver())
        if not route.startswith(NOT_OURS)
        and any(isinstance(converter, IntConverter) for converter in pattern.pattern.converters.values())
    ]
    assert int_routes == []
    assert len(ID_ROUTES) >= 40


@pytest.mark.parametrize("value", PATH_IDS)
@pytest.mark.parametrize("route", ID_ROUTES)
def test_a_page_path_id_that_is_no_id_is_a_404(client, route, value):
    """No route matches, so it is a 404 before any login check (an anonymous visitor is otherwise sent to sign
    in) and before any query (a 20-digit id overflows SQLite wherever it meets a foreign key)."""
    path = "/" + re.sub(r"<id:\w+>", value, route).replace("<str:team>", "none")
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("team", [*PATH_IDS, "1_0"])
def test_the_heatmap_cell_of_a_team_that_is_no_id_is_a_404(client, leader, team):
    # `"²".isdigit()` is true and `int("²")` raises; the team is a path segment of its own (`none` or an id).
    client.force_login(leader.user)
    competency = CompetencyFactory()
    assert client.get(f"/coaching/heatmap/{team}/{competency.pk}/").status_code == 404


def _role_form(name: str) -> str:
    return f"name={name}&code=fsm-hostile&description=&review_cadence_months=12"


FORM = "application/x-www-form-urlencoded"


def test_a_valid_role_form_post_creates_the_role(client, leader):
    """The form the tests below post to, sent valid: it writes (so "nothing written" below means something)."""
    client.force_login(leader.user)
    assert client.post(reverse("managers:role-create"), _role_form("Hostile"), content_type=FORM).status_code == 302
    assert Role.objects.get(code="fsm-hostile").name == "Hostile"


def test_a_form_post_with_a_nul_is_refused_beside_the_field(client, leader, nothing_written):
    client.force_login(leader.user)
    response = client.post(reverse("managers:role-create"), _role_form("Hos%00tile"), content_type=FORM)
    assert response.status_code == 200
    assert response.context["form"].errors == {"name": ["Null characters are not allowed."]}


def test_a_multipart_form_post_with_a_utf7_surrogate_is_a_400(client, leader, nothing_written, caplog):
    """Django itself refuses a url-encoded form in any charset but UTF-8; a multipart form it decodes in the
    charset the request declares, where "+2AA-" is U+D800."""
    client.force_login(leader.user)
    body = encode_multipart(BOUNDARY, {"name": "+2AA-", "code": "fsm-hostile", "review_cadence_months": "12"})
    # `generic`, which sends the bytes as they are (`post` would encode them in the declared charset).
    response = client.generic("POST", reverse("managers:role-create"), body, f"{MULTIPART_CONTENT}; charset=utf-7")
    assert response.status_code == 400
    [record] = [record for record in caplog.records if record.name == "django.request"]
    assert record.levelname == "WARNING" and record.exc_info is None and "Unpaired surrogates" in record.getMessage()


@pytest.mark.parametrize(
    ("name", "query", "status"),
    [
        ("enablement:person-list", "q=Ann%00", 200),  # the filter form is invalid: no filter
        ("enablement:person-list", "team=%00", 200),
        ("enablement:person-list", "team=99999999999999999999", 200),
        ("enablement:person-list", "page=%00", 200),
        ("managers:version-compare", "a=%00&b=99999999999999999999", 400),
    ],
)
def test_a_page_filter_with_a_nul_or_a_huge_id_is_refused_by_its_form(client, leader, name, query, status):
    client.force_login(leader.user)
    assert client.get(f"{reverse(name)}?{query}").status_code == status


def test_a_page_query_with_a_utf7_surrogate_is_a_400(client, leader, caplog):
    client.force_login(leader.user)
    path = f"{reverse('enablement:person-list')}?q={UTF7_SURROGATE}"
    assert client.get(path, CONTENT_TYPE="text/plain; charset=utf-7").status_code == 400
    assert "Unpaired surrogates" in caplog.text


def test_a_form_post_with_a_surrogate_in_utf8_stores_replacement_characters(client, leader):
    """A lone surrogate written as UTF-8 ("\\xed\\xa0\\x80") is not UTF-8: Django reads each byte of it as
    U+FFFD, as browsers do, so what is stored is valid text and nothing fails."""
    client.force_login(leader.user)
    response = client.post(reverse("managers:role-create"), _role_form("Hostile%ED%A0%80"), content_type=FORM)
    assert response.status_code == 302
    assert Role.objects.get(code="fsm-hostile").name == "Hostile\ufffd\ufffd\ufffd"
