"""One table of person and role cases, each run through every path that writes people
(`enablement.org.rules`, STYLE "One rule, one place"):

- `service`: `person_update` (what the pages, the demo and hires call);
- `admin`: the admin's change form, posted by an HR admin;
- `api`: `PATCH /api/v1/people/{id}/` with an HR system's token;
- `bulk`: `POST /api/v1/people/bulk/` with the same token;
- `scim`: `/scim/v2/Users/{id}` with the IdP's token, for what SCIM can say: a manager (enterprise
  `manager`, by SCIM id) and a termination (`DELETE`, dated today). SCIM has no end date, and a leaver is
  no SCIM resource, so the date and reactivation cases do not run there.

Each path must refuse the same writes, on the same field, with the same message (people named by external
id in the people API, by name elsewhere), leaving everything as it was; and accept the same writes with
the same outcome: the end date, the login, and the escalation of a leaver's open work.
"""

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from enablement.api.clients.services import api_client_create
from enablement.models import Person
from enablement.org.rules import Employment, employment_after, reporting_cycles
from enablement.org.services import person_update
from enablement.org.signals import person_terminated
from managers.models import Role, RoleAssignment
from managers.services.charters import role_assign
from tests.conftest import build_hr_admin, from_built
from tests.enablement.factories import PersonFactory, UserFactory
from tests.managers.factories import RoleAssignmentFactory, RoleFactory
from tests.scim.conftest import SCIM_JSON

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
START = datetime.date(2024, 1, 1)
GHOST = "ghost"  # a manager nobody is
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ACCEPTED = None


def _days(count: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=count)


def _world() -> dict:
    """boss ← manager ← person ← report; `leaver` left in January. `person` has a login and started in 2024."""
    boss = PersonFactory(external_id="E-BOSS", first_name="Bea", last_name="Boss")
    manager = PersonFactory(external_id="E-MGR", first_name="Max", last_name="Manager", manager=boss)
    person = PersonFactory(
        external_id="E-P",
        first_name="Pat",
        last_name="Person",
        manager=manager,
        start_date=START,
        user=UserFactory(username="pat"),
    )
    report = PersonFactory(external_id="E-REP", first_name="Rae", last_name="Report", manager=person)
    leaver = PersonFactory(
        external_id="E-GONE",
        first_name="Lou",
        last_name="Leaver",
        employment_status="terminated",
        end_date=datetime.date(2026, 1, 31),
    )
    return {"boss": boss, "manager": manager, "person": person, "report": report, "leaver": leaver}


@pytest.fixture
def escalations():
    """(leaver, escalate_to) of each `person_terminated` sent during the test."""
    sent = []

    def listener(sender, person, escalate_to, **kwargs):
        sent.append((person.external_id, escalate_to.external_id if escalate_to else None))

    person_terminated.connect(listener, dispatch_uid="test_person_rules")
    yield sent
    person_terminated.disconnect(dispatch_uid="test_person_rules")


@pytest.fixture(scope="module", autouse=True)
def built(module_db) -> dict:
    """`world`, `hr_admin` and the tokens of the HR system's and the IdP's API clients, built
    once for the module; each test reads its own copy. Every test of the module sees them."""
    world = _world()
    hr_admin = build_hr_admin()
    _hris, hris_token = api_client_create(
        name="Workday", scopes=["people:read", "people:write"], by=hr_admin, hr_admin=True
    )
    _idp, scim_token = api_client_create(name="Okta", scopes=["scim"], by=None)
    return {"world": world, "hr_admin": hr_admin, "tokens": {"hris": hris_token, "scim": scim_token}}


world = from_built("world")
hr_admin = from_built("hr_admin")


@pytest.fixture
def clients(client, hr_admin, copied):
    """Each path's caller: the HR admin's browser, the HR system's token, the IdP's token."""
    client.force_login(hr_admin)
    hris, scim = APIClient(), APIClient()
    hris.credentials(HTTP_AUTHORIZATION=f"Bearer {copied['tokens']['hris']}")
    scim.credentials(HTTP_AUTHORIZATION=f"Bearer {copied['tokens']['scim']}")
    return {"admin": client, "hris": hris, "scim": scim}


# Each path writes `change` ({field: value}, a manager by persona name) to `person` and answers the errors
# by field, or None when the write was accepted. `label` is how the path's messages name a person.


def _by_name(person: Person) -> str:
    return person.full_name


def _by_key(person: Person) -> str:
    return person.external_id


def _service(world, clients, person: Person, change: dict) -> dict | None:
    data = {name: world[value] if name == "manager" else value for name, value in change.items()}
    try:
        person_update(person=person, data=data)
    except ValidationError as error:
        return error.message_dict
    return ACCEPTED


def _admin(world, clients, person: Person, change: dict) -> dict | None:
    def shown(value):
        return "" if value is None else value.isoformat() if isinstance(value, datetime.date) else value

    form = {
        "external_id": person.external_id,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "title": person.title,
        "team": person.team_id or "",
        "manager": person.manager_id or "",
        "employment_status": person.employment_status,
        "start_date": shown(person.start_date),
        "end_date": shown(person.end_date),
        "user": person.user_id or "",
    }
    for name, value in change.items():
        form[name] = (999_999 if value == GHOST else world[value].pk) if name == "manager" else shown(value)
    response = clients["admin"].post(reverse("admin:enablement_person_change", args=[person.pk]), form)
    if response.status_code == 302:
        return ACCEPTED
    assert response.status_code == 200, response.status_code
    return {name: list(messages) for name, messages in response.context["adminform"].form.errors.items()}


def _api_row(world, change: dict) -> dict:
    row = {}
    for name, value in change.items():
        if name == "manager":
            row[name] = GHOST if value == GHOST else world[value].external_id
        else:
            row[name] = value.isoformat() if isinstance(value, datetime.date) else value
    return row


def _api(world, clients, person: Person, change: dict) -> dict | None:
    response = clients["hris"].patch(f"/api/v1/people/{person.pk}/", _api_row(world, change), format="json")
    if response.status_code == 200:
        return ACCEPTED
    assert response.status_code == 400, response.content
    return response.json()["errors"]


def _bulk(world, clients, person: Person, change: dict) -> dict | None:
    row = {"external_id": person.external_id, **_api_row(world, change)}
    response = clients["hris"].post("/api/v1/people/bulk/", {"people": [row]}, format="json")
    assert response.status_code == 200, response.content
    result = response.json()["results"][0]
    return result["errors"] if result["status"] == "error" else ACCEPTED


def _scim(world, clients, person: Person, change: dict) -> dict | None:
    if change == {"employment_status": "terminated"}:
        response = clients["scim"].delete(f"/scim/v2/Users/{person.pk}")
    else:
        (manager,) = change.values()
        value = "999999" if manager == GHOST else str(world[manager].pk)
        operation = {"op": "replace", "path": f"{ENTERPRISE}:manager", "value": {"value": value}}
        body = {"schemas": [PATCH_OP], "Operations": [operation]}
        response = clients["scim"].patch(f"/scim/v2/Users/{person.pk}", json.dumps(body), content_type=SCIM_JSON)
    if response.status_code in (200, 204):
        return ACCEPTED
    assert response.status_code == 400, response.content
    name, _sep, message = response.json()["detail"].partition(": ")
    return {name: [message]}


PATHS: dict[str, tuple[Callable, Callable[[Person], str]]] = {
    "service": (_service, _by_name),
    "admin": (_admin, _by_name),
    "api": (_api, _by_key),
    "bulk": (_bulk, _by_key),
    "scim": (_scim, _by_name),
}
EVERY_PATH = tuple(PATHS)
DATED = ("service", "admin", "api", "bulk")  # the paths that can send employment dates


@dataclass(frozen=True)
class Case:
    """A write to `person`. `refused`: (field, message given a labeller and the world), or ACCEPTED; then
    `outcome` is what `person` becomes: `employment_status`, `end_date`, `login_active`, `manager` (a
    persona) and `escalated_to` (the external id `person_terminated` names, for a leaver)."""

    change: dict[str, Any]
    refused: tuple[str, Callable[[Callable, dict], str] | None] | None = ACCEPTED
    outcome: dict[str, Any] = field(default_factory=dict)
    paths: tuple[str, ...] = DATED
    given_a_leaver: bool = False  # `person` left yesterday (and their login was switched off)
    messages: dict[str, str] = field(default_factory=dict)  # path-specific messages (an unknown reference)


def _message(text: str) -> Callable[[Callable, dict], str]:
    return lambda label, world: text


CASES = {
    "termination without a date: today": Case(
        {"employment_status": "terminated"},
        outcome={"employment_status": "terminated", "end_date": TODAY, "login_active": False, "escalated_to": "E-BOSS"},
        paths=EVERY_PATH,
    ),
    "termination dated in the past": Case(
        {"employment_status": "terminated", "end_date": _days(-10)},
        outcome={
            "employment_status": "terminated",
            "end_date": _days(-10),
            "login_active": False,
            "escalated_to": "E-BOSS",
        },
    ),
    "termination dated 30 days ahead: not scheduled": Case(
        {"employment_status": "terminated", "end_date": _days(30)},
        refused=("end_date", _message("Send a termination on or after the end date: it ends the login at once.")),
    ),
    "termination with a null end date": Case(
        {"employment_status": "terminated", "end_date": None},
        refused=("end_date", _message("A terminated person has an end date: send it, or leave it out for today.")),
        paths=("service", "api", "bulk"),  # a blank date in a form is a date left out: today
    ),
    "end date before the start date": Case(
        {"employment_status": "terminated", "end_date": START - datetime.timedelta(days=1)},
        refused=("end_date", _message("The end date cannot be before the start date (2024-01-01).")),
    ),
    "end date without a termination": Case(
        {"end_date": _days(-1)},
        refused=("end_date", _message("Only a terminated person has an end date.")),
    ),
    "reactivation clears the end date and restores the login": Case(
        {"employment_status": "active"},
        outcome={"employment_status": "active", "end_date": None, "login_active": True},
        given_a_leaver=True,
    ),
    "reactivation with an end date": Case(
        {"employment_status": "active", "end_date": _days(-2)},
        refused=("end_date", _message("Only a terminated person has an end date.")),
        given_a_leaver=True,
    ),
    "a manager who reports to the person: a cycle": Case(
        {"manager": "report"},
        refused=(
            "manager",
            lambda label, world: (
                "This would make a reporting cycle: "
                + " → ".join(label(world[name]) for name in ("person", "report", "person"))
                + "."
            ),
        ),
        paths=EVERY_PATH,
    ),
    "oneself as manager": Case(
        {"manager": "person"},
        refused=("manager", _message("A person cannot be their own manager.")),
        paths=EVERY_PATH,
    ),
    "a manager who has left": Case(
        {"manager": "leaver"},
        refused=(
            "manager",
            lambda label, world: f"{label(world['leaver'])} has left the company, so cannot be a manager.",
        ),
        paths=EVERY_PATH,
    ),
    "an unknown manager": Case(
        {"manager": GHOST},
        refused=("manager", None),
        paths=("admin", "api", "bulk", "scim"),  # a service is handed a person, not a reference
        messages={
            "admin": "Select a valid choice. That choice is not one of the available choices.",
            "api": "No person has external id ghost, stored or in this batch.",
            "bulk": "No person has external id ghost, stored or in this batch.",
            "scim": "No User has the id 999999.",
        },
    ),
    "a new manager": Case(
        {"manager": "boss"},
        outcome={"employment_status": "active", "manager": "boss", "login_active": True},
        paths=EVERY_PATH,
    ),
}


def _state(person: Person) -> dict[str, Any]:
    person.refresh_from_db()
    return {
        "employment_status": person.employment_status,
        "end_date": person.end_date,
        "manager": person.manager_id,
        "login_active": get_user_model().objects.get(pk=person.user_id).is_active,
        "updated_at": person.updated_at,
    }


@pytest.mark.parametrize(
    ("case", "path"),
    [pytest.param(case, path, id=f"{name} | {path}") for name, case in CASES.items() for path in case.paths],
)
def test_person_rules_are_the_same_on_every_path(world, clients, escalations, case: Case, path: str):
    person = world["person"]
    if case.given_a_leaver:
        Person.objects.filter(pk=person.pk).update(employment_status="terminated", end_date=_days(-1))
        get_user_model().objects.filter(pk=person.user_id).update(is_active=False)
    before = _state(person)
    write, label = PATHS[path]

    errors = write(world, clients, person, case.change)

    if case.refused is not ACCEPTED:
        name, message = case.refused
        expected = case.messages.get(path) or message(label, world)
        assert errors is not ACCEPTED, "accepted"
        assert expected in errors.get(name, []), errors
        assert _state(person) == before, "a refused write changes nothing"
        assert escalations == []
        return
    assert errors is ACCEPTED, errors
    expected = {**case.outcome}
    escalated_to = expected.pop("escalated_to", None)
    if "manager" in expected:
        expected["manager"] = world[expected["manager"]].pk
    after = _state(person)
    assert {name: after[name] for name in expected} == expected
    assert escalations == ([(person.external_id, escalated_to)] if after["employment_status"] == "terminated" else [])


# Roles: `role_assign` (the role page, hires, the demo) and the people API's `role` (`roles_assign_bulk`).


def _role_service(person: Person, code: str | None) -> dict | None:
    try:
        role_assign(person=person, role=Role.objects.get(code=code), on=TODAY, by=None)
    except ValidationError as error:
        return error.message_dict
    return ACCEPTED


def _role_api(clients, person: Person, code: str | None) -> dict | None:
    response = clients["hris"].patch(f"/api/v1/people/{person.pk}/", {"role": code}, format="json")
    if response.status_code == 200:
        return ACCEPTED
    assert response.status_code == 400, response.content
    return response.json()["errors"]


def _role_bulk(clients, person: Person, code: str | None) -> dict | None:
    row = {"external_id": person.external_id, "role": code}
    response = clients["hris"].post("/api/v1/people/bulk/", {"people": [row]}, format="json")
    assert response.status_code == 200, response.content
    result = response.json()["results"][0]
    return result["errors"] if result["status"] == "error" else ACCEPTED


ROLE_PATHS = {
    "service": lambda clients, person, code: _role_service(person, code),
    "api": _role_api,
    "bulk": _role_bulk,
}
ROLE_FIELD = {"service": "started_on", "api": "role", "bulk": "role"}


def _history(person: Person) -> list[tuple]:
    assignments = RoleAssignment.objects.filter(person=person).order_by("started_on", "pk")
    return list(assignments.values_list("role__code", "started_on", "ended_on"))


@dataclass(frozen=True)
class RoleCase:
    """`person` holds `fsm-a` since `since`; the write makes them hold `code` from today. `history`: the
    (code, started_on, ended_on) of their assignments afterwards, oldest first; None: refused."""

    since: datetime.date
    code: str | None
    history: list[tuple[str, datetime.date, datetime.date | None]] | None
    paths: tuple[str, ...] = tuple(ROLE_PATHS)


ROLE_CASES = {
    "another role from today": RoleCase(
        datetime.date(2026, 1, 1), "fsm-b", [("fsm-a", datetime.date(2026, 1, 1), TODAY), ("fsm-b", TODAY, None)]
    ),
    "another role before the current one starts": RoleCase(_days(5), "fsm-b", None),
    "the role they hold, even one that starts later: nothing changes": RoleCase(
        _days(5), "fsm-a", [("fsm-a", _days(5), None)]
    ),
    "no role before the current one starts": RoleCase(_days(5), None, None, paths=("api", "bulk")),
    "no role from today": RoleCase(
        datetime.date(2026, 1, 1), None, [("fsm-a", datetime.date(2026, 1, 1), TODAY)], paths=("api", "bulk")
    ),
}


@pytest.mark.parametrize(
    ("case", "path"),
    [pytest.param(case, path, id=f"{name} | {path}") for name, case in ROLE_CASES.items() for path in case.paths],
)
def test_role_rules_are_the_same_on_every_path(world, clients, case: RoleCase, path: str):
    person = world["person"]
    RoleFactory(code="fsm-b")
    RoleAssignmentFactory(person=person, role=RoleFactory(code="fsm-a"), started_on=case.since)
    before = _history(person)

    errors = ROLE_PATHS[path](clients, person, case.code)

    history = _history(person)
    if case.history is None:
        message = (
            f"The current role starts on {case.since.isoformat()}: a change of role cannot take effect before then."
        )
        assert errors == {ROLE_FIELD[path]: [message]}
        assert history == before
    else:
        assert errors is ACCEPTED, errors
        assert history == case.history


# The rules themselves, on plain values.


def test_employment_after_leaves_a_stored_record_unjudged():
    """A termination stored ahead of the rule (or with no end date) is re-sent unchanged, not refused."""
    ahead = Employment("terminated", START, _days(30))
    undated = Employment("terminated", START, None)

    assert (
        employment_after(before=ahead, sent={"employment_status": "terminated", "end_date": _days(30)}, today=TODAY)
        == ahead
    )
    assert employment_after(before=undated, sent={"end_date": None, "title": "AE"}, today=TODAY) == undated
    with pytest.raises(ValidationError):
        employment_after(before=ahead, sent={"start_date": START + datetime.timedelta(days=1)}, today=TODAY)


def test_reporting_cycles_refuses_each_changed_member_from_itself_and_only_them():
    lines = {"a": "b", "b": "c", "c": "a", "d": "a", "x": "y", "y": None}

    cycles = reporting_cycles(["a", "c", "d", "x"], lines.get)

    assert cycles == {"a": ["a", "b", "c", "a"], "c": ["c", "a", "b", "c"]}  # d leads into it, b was stored
