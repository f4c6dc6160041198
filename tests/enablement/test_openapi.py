"""The OpenAPI description of /api/v1/: generated and validated without a warning, covering every route the
URL conf has, naming each operation's token scope and errors; its docs served anonymously (offline: test_api_docs),
while every API operation refuses an anonymous caller."""

import re

import pytest
import yaml
from django.core.management import call_command
from django.urls import URLResolver, get_resolver, reverse
from rest_framework.routers import APIRootView
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

API_PREFIX = "/api/v1/"
SCOPE = re.compile(r"^[a-z]+:(read|write)$")
SAFE_METHODS = {"get", "head", "options"}
ERRORS = {"401": "Unauthenticated", "403": "Forbidden", "404": "NotFound"}


@pytest.fixture(scope="module")
def schema(tmp_path_factory) -> dict:
    path = tmp_path_factory.mktemp("openapi") / "schema.yaml"
    # --fail-on-warn: any warning (an untyped field, an unresolvable view, an enum name clash) fails here.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def _operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def _routes(patterns=None, prefix: str = "/"):
    """(path, method) of every DRF view method the URL conf routes, path in OpenAPI form (`{id}`)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern).lstrip("^").rstrip("$")
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
            continue
        actions = getattr(pattern.callback, "actions", None)
        view_class = getattr(pattern.callback, "cls", None)
        if actions is None or "(?P<format>" in route or view_class is APIRootView:
            continue  # not a viewset route, a `.json` format suffix, or the router's index of links
        path = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route).replace("{pk}", "{id}")
        # DRF adds `head` to a viewset's actions on its first request; it mirrors `get`, which is described.
        yield from ((path, method) for method in actions if method != "head")


def test_schema_is_openapi_3_1_for_api_v1_only(schema):
    assert schema["openapi"].startswith("3.1")
    assert schema["info"]["version"] == "v1"
    assert schema["paths"]
    assert all(path.startswith(API_PREFIX) for path in schema["paths"])
    # 3.1 spells "may be null" as a type; a leftover 3.0 `nullable` would make every null a mismatch.
    assert "'nullable'" not in str(schema)
    assert schema["components"]["schemas"]["PaginatedRoleList"]["properties"]["next"]["type"] == ["string", "null"]


def test_schema_describes_every_api_v1_route(schema):
    routed = {(path, method) for path, method in _routes() if path.startswith(API_PREFIX)}
    described = {(path, method) for path, method, _operation in _operations(schema)}

    assert routed, "no /api/v1/ routes found: the URL walk is broken"
    assert routed - described == set()
    assert described - routed == set()


def test_schema_refs_all_resolve(schema):
    refs = set(re.findall(r"'\$ref': '#/components/(\w+)/(\w+)'", str(schema)))

    missing = {(kind, name) for kind, name in refs if name not in schema["components"].get(kind, {})}

    assert refs and missing == set()


def test_every_operation_names_its_token_scope(schema):
    bearer_scheme = schema["components"]["securitySchemes"]["bearerAuth"]
    assert (bearer_scheme["type"], bearer_scheme["scheme"]) == ("http", "bearer")
    for path, method, operation in _operations(schema):
        bearer = [requirement["bearerAuth"] for requirement in operation["security"] if "bearerAuth" in requirement]
        assert len(bearer) == 1 and len(bearer[0]) == 1, f"{method} {path}: {operation['security']}"
        scope = bearer[0][0]
        assert SCOPE.match(scope), f"{method} {path}: {scope}"
        assert scope.endswith(":read") == (method in SAFE_METHODS), f"{method} {path}: {scope}"
        assert {"cookieAuth": []} in operation["security"]
        assert f"Token scope: `{scope}`" in operation["description"]
        assert operation["tags"] == [scope.split(":")[0]]


def test_every_operation_has_a_summary_of_its_own(schema):
    summaries = {(path, method): operation.get("summary", "") for path, method, operation in _operations(schema)}
    assert all(summaries.values()), [key for key, summary in summaries.items() if not summary]
    assert len(set(summaries.values())) == len(summaries)  # no two operations read the same in the docs' menu
    assert summaries["/api/v1/charter-versions/{id}/publish/", "post"] == "Publish a charter version"
    assert summaries["/api/v1/roles/{id}/requirements/", "put"] == "Replace a role's requirements"
    assert summaries["/api/v1/people/{id}/", "patch"] == "Change a person"


def test_every_operation_documents_its_errors(schema):
    for path, method, operation in _operations(schema):
        responses = operation["responses"]
        for code, name in ERRORS.items():
            assert responses.get(code) == {"$ref": f"#/components/responses/{name}"}, f"{method} {path} {code}"
        if method not in SAFE_METHODS:
            assert responses["400"] == {"$ref": "#/components/responses/BadRequest"}, f"{method} {path}"


def test_every_error_response_has_the_one_error_shape(schema):
    responses = schema["components"]["responses"]
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["status", "code", "detail"]
    assert set(error["properties"]) == {"status", "code", "detail", "errors"}
    assert {"ErrorDetail", "FieldErrors"} & set(schema["components"]["schemas"]) == set()
    for name, response in responses.items():
        body = response["content"]["application/json"]
        assert body["schema"] == {"$ref": "#/components/schemas/Error"}, name
        for example in body["examples"].values():
            assert {"status", "code", "detail"} <= set(example["value"]), name
    for path, method, operation in _operations(schema):
        for code, response in operation["responses"].items():
            if code.startswith(("4", "5")):
                assert response["$ref"].startswith("#/components/responses/"), f"{method} {path} {code}"
        assert operation["responses"]["429"] == {"$ref": "#/components/responses/Throttled"}, f"{method} {path}"
    assert "Retry-After" in responses["Throttled"]["headers"]


def test_list_filters_are_documented_as_query_parameters(schema):
    def query(path: str) -> set[str]:
        return {p["name"] for p in schema["paths"][path]["get"].get("parameters", []) if p["in"] == "query"}

    assert {"requisition", "stage"} <= query("/api/v1/applications/")
    assert {"plan", "assignee", "state", "due_before"} <= query("/api/v1/tasks/")
    assert {"decided_after"} <= query("/api/v1/decisions/")
    assert {"person", "source"} <= query("/api/v1/assessments/")


def test_main_write_bodies_carry_examples(schema):
    for path, method in [
        ("/api/v1/charter-versions/{id}/", "put"),
        ("/api/v1/applications/{id}/decide/", "post"),
        ("/api/v1/assessments/", "post"),
        ("/api/v1/sessions/", "post"),
        ("/api/v1/roles/{id}/requirements/", "put"),
    ]:
        assert schema["paths"][path][method]["requestBody"]["content"]["application/json"]["examples"], path


def test_commands_answer_with_their_output_shape(schema):
    def response(path: str, method: str = "post") -> str:
        return schema["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]

    assert response("/api/v1/applications/{id}/decide/").endswith("/Decision")
    assert response("/api/v1/applications/{id}/profile/", "get").endswith("/CandidateProfile")
    assert response("/api/v1/acknowledgements/{id}/acknowledge/").endswith("/Acknowledgement")
    assert response("/api/v1/plans/{id}/activate/").endswith("/Plan")
    assert "requestBody" not in schema["paths"]["/api/v1/plans/{id}/activate/"]["post"]


def test_conditional_request_headers_are_documented(schema):
    def headers(path: str, method: str) -> set[str]:
        return {p["name"] for p in schema["paths"][path][method].get("parameters", []) if p["in"] == "header"}

    def responses(path: str, method: str) -> dict:
        return schema["paths"][path][method]["responses"]

    assert headers("/api/v1/candidates/", "post") == {"Idempotency-Key"}
    assert responses("/api/v1/candidates/", "post")["422"] == {"$ref": "#/components/responses/IdempotencyKeyReused"}
    assert headers("/api/v1/applications/{id}/decide/", "post") == {"Idempotency-Key", "If-Match"}
    assert headers("/api/v1/requisitions/{id}/", "patch") == {"If-Match"}
    assert responses("/api/v1/requisitions/{id}/", "patch")["412"] == {
        "$ref": "#/components/responses/PreconditionFailed"
    }
    assert "ETag" in responses("/api/v1/requisitions/{id}/", "get")["200"]["headers"]
    assert headers("/api/v1/requisitions/", "get") == set()


@pytest.mark.parametrize("name", ["api-schema", "api-docs", "api-redoc"])
def test_schema_and_docs_answer_anonymous(name):
    response = APIClient().get(reverse(name))

    assert response.status_code == 200


def test_every_api_v1_operation_refuses_anonymous(schema):
    client = APIClient()
    for path, method, _operation in [(API_PREFIX, "get", None), *_operations(schema)]:
        url = path.replace("{id}", "1")

        response = getattr(client, method)(url, {}, format="json") if method not in SAFE_METHODS else client.get(url)

        assert response.status_code in (401, 403), f"{method} {path}: {response.status_code}"
