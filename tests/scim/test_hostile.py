"""Hostile input through SCIM: a NUL, a lone surrogate, deep nesting, a huge number, an over-long value,
an out-of-range date. Each is a 400 in SCIM's error shape with the scimType RFC 7644 §3.12 gives it
(invalidFilter in a filter, invalidSyntax when the body does not parse, invalidValue otherwise), never a
500, and nothing is written. Run on SQLite and on PostgreSQL (DATABASE_URL): they fail differently."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from enablement.models import Person, Team
from enablement.scim.models import ScimGroup, ScimUser
from tests.enablement.factories import PersonFactory, UserFactory
from tests.scim.conftest import SCIM_JSON
from tests.scim.test_users import ENTERPRISE, USER, _error, _patch, _send, _user_body

pytestmark = pytest.mark.django_db

GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group"
SEARCH = "urn:ietf:params:scim:api:messages:2.0:SearchRequest"
RAW = "@raw@"  # replaced by raw JSON text: what json.dumps cannot write (deep nesting, huge numbers)

NUL = "a\x00b"  # json.dumps writes it as "a\u0000b"
LONE_SURROGATES = ["\ud800", "x\udc00y"]  # written as "\ud800" escapes, which no UTF-8 can hold
DEEP = "[" * 1000 + "]" * 1000


def _text(body: dict, raw: str = "") -> str:
    return json.dumps(body).replace(json.dumps(RAW), raw)


@pytest.fixture
def target(scim):
    """A SCIM user and group for PUT and PATCH, and a second user (a group member)."""
    response = _send(scim, "POST", "Users", _user_body(user_name="target", email="target@example.com"))
    assert response.status_code == 201, response.content
    member = PersonFactory(user=UserFactory(username="member"))
    group = _send(scim, "POST", "Groups", {"schemas": [GROUP], "displayName": "Target"})
    assert group.status_code == 201, group.content
    return {"user": response.json()["id"], "group": group.json()["id"], "member": str(member.pk)}


def _stored() -> list:
    """Everything SCIM may write."""
    return [
        list(Person.objects.order_by("pk").values()),
        list(get_user_model().objects.order_by("pk").values("username", "first_name", "last_name", "is_active")),
        list(Group.objects.order_by("pk").values("pk", "name", "user")),
        list(Team.objects.order_by("pk").values()),
        list(ScimUser.objects.order_by("pk").values()),
        list(ScimGroup.objects.order_by("pk").values()),
    ]


def _send_text(scim, method: str, path: str, text: str):
    return getattr(scim, method.lower())(f"/scim/v2/{path}", data=text.encode(), content_type=SCIM_JSON)


def _refused(scim, method: str, path: str, text: str, scim_type: str) -> dict:
    before = _stored()

    body = _error(_send_text(scim, method, path, text), 400, scim_type)

    assert _stored() == before
    return body


# Values in User bodies, through POST, PUT and PATCH


def _user_with(attribute: str, value) -> dict:
    """A valid user body with `attribute` (a dotted path, enterprise ones prefixed "ent.") set to `value`."""
    body = _user_body(user_name="new.user", email="new.user@example.com")
    body["schemas"] = [USER, ENTERPRISE]
    body[ENTERPRISE] = {"employeeNumber": "E-NEW"}
    container, name = (body[ENTERPRISE], attribute[4:]) if attribute.startswith("ent.") else (body, attribute)
    if name.startswith("name."):
        container["name"][name[5:]] = value
    elif name == "emails":
        container["emails"][0]["value"] = value
    elif name == "manager":
        container["manager"] = {"value": value}
    else:
        container[name] = value
    return body


NUL_USER_ATTRIBUTES = [
    "userName",
    "name.givenName",
    "name.familyName",
    "title",
    "externalId",
    "emails",
    "nickName",
    "ent.employeeNumber",
    "ent.department",
    "ent.manager",
]


def _user_requests(target: dict, attribute: str, value) -> list[tuple[str, str, dict]]:
    """The same value through POST, PUT and PATCH (a PATCH of the attribute's top-level name)."""
    body = _user_with(attribute, value)
    user = f"Users/{target['user']}"
    top = attribute.split(".")[0]
    if top == "ent":
        patch = _patch({"op": "replace", "path": ENTERPRISE, "value": body[ENTERPRISE]})
    else:
        patch = _patch({"op": "replace", "path": top, "value": body[top]})
    return [("POST", "Users", body), ("PUT", user, body), ("PATCH", user, patch)]


@pytest.mark.parametrize("attribute", NUL_USER_ATTRIBUTES)
def test_a_nul_in_a_user_is_invalid_value(scim, target, attribute):
    for method, path, body in _user_requests(target, attribute, NUL):
        body = _refused(scim, method, path, _text(body), "invalidValue")
        assert "NUL" in body["detail"], (method, body)


@pytest.mark.parametrize("value", LONE_SURROGATES)
def test_a_lone_surrogate_in_a_user_is_invalid_syntax(scim, target, value):
    for method, path, body in _user_requests(target, "name.givenName", value):
        _refused(scim, method, path, _text(body), "invalidSyntax")


def test_deep_nesting_in_a_user_is_invalid_syntax(scim, target):
    for method, path, body in _user_requests(target, "title", RAW):
        _refused(scim, method, path, _text(body, DEEP), "invalidSyntax")


@pytest.mark.parametrize(
    ("number", "scim_type"),
    [
        ("1e400", "invalidValue"),  # parsed (as infinity), and no attribute here is a number
        ("9" * 40, "invalidValue"),
        ("9" * 5000, "invalidSyntax"),
    ],  # past the parser's range: the body does not parse
)
@pytest.mark.parametrize("attribute", ["title", "active", "ent.manager"])
def test_a_huge_number_in_a_user_is_refused(scim, target, attribute, number, scim_type):
    for method, path, body in _user_requests(target, attribute, RAW):
        _refused(scim, method, path, _text(body, number), scim_type)


@pytest.mark.parametrize(
    ("attribute", "length"),
    [
        ("externalId", 256),
        ("userName", 151),
        ("name.givenName", 151),
        ("title", 201),
        ("ent.employeeNumber", 101),
        ("ent.department", 201),
    ],
)
def test_an_over_long_user_value_is_invalid_value(scim, target, attribute, length):
    for method, path, body in _user_requests(target, attribute, "x" * length):
        _refused(scim, method, path, _text(body), "invalidValue")


def test_an_external_id_of_255_characters_is_kept(scim):
    response = _send(scim, "POST", "Users", _user_body(externalId="x" * 255))

    assert response.status_code == 201, response.content
    assert response.json()["externalId"] == "x" * 255


# Values in Group bodies


def _group_requests(target: dict, attribute: str, value) -> list[tuple[str, str, dict]]:
    body = {"schemas": [GROUP], "displayName": "New group", "members": [{"value": target["member"]}]}
    if attribute == "members":
        body["members"] = [{"value": value}]
    else:
        body[attribute] = value
    group = f"Groups/{target['group']}"
    patch = _patch({"op": "replace", "path": attribute, "value": body[attribute]})
    return [("POST", "Groups", body), ("PUT", group, body), ("PATCH", group, patch)]


@pytest.mark.parametrize("attribute", ["displayName", "externalId", "members"])
def test_a_nul_in_a_group_is_invalid_value(scim, target, attribute):
    for method, path, body in _group_requests(target, attribute, NUL):
        _refused(scim, method, path, _text(body), "invalidValue")


@pytest.mark.parametrize(("attribute", "length"), [("displayName", 151), ("externalId", 256)])
def test_an_over_long_group_value_is_invalid_value(scim, target, attribute, length):
    for method, path, body in _group_requests(target, attribute, "x" * length):
        _refused(scim, method, path, _text(body), "invalidValue")


def test_a_lone_surrogate_deep_nesting_and_a_huge_number_in_a_group_are_invalid_syntax(scim, target):
    for raw in [json.dumps(LONE_SURROGATES[0]), DEEP, "9" * 5000]:
        for method, path, body in _group_requests(target, "displayName", RAW):
            _refused(scim, method, path, _text(body, raw), "invalidSyntax")


# Filters, in the query and in a search body, on each endpoint


FILTERS = [
    pytest.param(r'userName eq "a\u0000b"', id="nul"),  # the filter's own escape: a NUL once parsed
    pytest.param(r'userName sw "\u0000"', id="only-nul"),
    pytest.param(r'displayName co "a\ud800b"', id="lone-surrogate"),
    pytest.param('meta.lastModified lt "0001-01-01T00:00:00+14:00"', id="before-year-1-utc"),
    pytest.param('meta.created gt "9999-12-31T23:59:59-14:00"', id="after-year-9999-utc"),
    # SQLite nests a WHERE clause 1,000 deep at most; scim2-models caps nesting at 32.
    pytest.param(" or ".join(['title eq "x"'] * 101), id="101-comparisons"),
    pytest.param("not (" * 40 + "title pr" + ")" * 40, id="nested-40-deep"),
]


def _searches(scim_filter: str) -> list[tuple[str, str, str | None]]:
    search = json.dumps({"schemas": [SEARCH], "filter": scim_filter})
    return [
        ("GET", "Users", None),
        ("GET", "Groups", None),
        ("POST", "Users/.search", search),
        ("POST", "Groups/.search", search),
        ("POST", ".search", search),
    ]


@pytest.mark.parametrize("scim_filter", FILTERS)
def test_a_hostile_filter_is_invalid_filter(scim, target, scim_filter):
    for method, path, search in _searches(scim_filter):
        if method == "GET":
            response = _send(scim, "GET", path, filter=scim_filter)
        else:
            response = _send_text(scim, "POST", path, search)
        _error(response, 400, "invalidFilter")


def test_a_nul_in_a_search_body_filter_is_invalid_filter(scim, target):
    search = json.dumps({"schemas": [SEARCH], "filter": f'userName eq "{NUL}"'})

    _error(_send_text(scim, "POST", ".search", search), 400, "invalidFilter")


def test_a_filter_of_100_comparisons_is_answered(scim, target):
    response = _send(scim, "GET", "Users", filter=" or ".join(['userName eq "target"'] * 100))

    assert response.status_code == 200, response.content
    assert response.json()["totalResults"] == 1


@pytest.mark.parametrize("parameter", ["startIndex", "count"])
def test_huge_paging_numbers_are_answered(scim, target, parameter):
    assert _send(scim, "GET", "Users", **{parameter: "9" * 30}).status_code == 200
    search = json.dumps({"schemas": [SEARCH], parameter: RAW}).replace(json.dumps(RAW), "9" * 30)
    assert _send_text(scim, "POST", ".search", search).status_code == 200
