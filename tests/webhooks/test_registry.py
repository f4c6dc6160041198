"""The registry of webhook event types: each app registers the events it emits, `enablement` knows none of
the other apps' events, endpoints subscribe to registered types only, and the README lists them all."""

import ast
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coaching import webhook_events as coaching_events
from enablement.org.events import PERSON_EVENT_TYPES
from enablement.webhooks import events
from enablement.webhooks.admin import WebhookEndpointAdminForm
from enablement.webhooks.events import TEST_EVENT, EventType, register_event_type
from enablement.webhooks.forms import WebhookEndpointForm
from enablement.webhooks.services import endpoint_create
from managers import webhook_events as managers_events

ROOT = Path(__file__).resolve().parents[2]
APPS = ("enablement", "managers", "coaching")
PULSE = EventType("pulse.closed", "A pulse survey closed.", {"id": "the survey's id"})


@pytest.fixture
def registry(monkeypatch):
    """A copy of the registry that the test may add to, so nothing it registers outlives it."""
    monkeypatch.setattr(events, "_registry", dict(events._registry))


def _sources(package: str) -> list[Path]:
    return [path for path in (ROOT / package).rglob("*.py") if "migrations" not in path.parts]


def _emitted() -> dict[str, list[str]]:
    """Every `emit(...)` / `outbox.emit(...)` call in the apps' code: event type -> where."""
    found: dict[str, list[str]] = {}
    for path in (path for app in APPS for path in _sources(app)):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name != "emit":
                continue
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            first = node.args[0] if node.args else None
            assert isinstance(first, ast.Constant) and isinstance(first.value, str), (
                f"{where}: emit() with a computed event type, which this test cannot check"
            )
            found.setdefault(first.value, []).append(where)
    return found


def test_every_event_emitted_anywhere_is_registered_and_every_registered_one_is_emitted():
    emitted = _emitted()
    assert {where.split("/")[0] for places in emitted.values() for where in places} == set(APPS)
    unregistered = {name: places for name, places in emitted.items() if not events.is_known(name)}
    assert not unregistered, "emitted but not registered"
    assert {event_type.name for event_type in events.all_event_types()} == set(emitted), "registered, never emitted"


def test_each_app_registers_its_own_events():
    coaching_owned = coaching_events.EVENT_TYPES  # recognition.given among them
    owners = (PERSON_EVENT_TYPES, (TEST_EVENT,), managers_events.EVENT_TYPES, coaching_owned)
    assert events.all_event_types() == [event_type for owned in owners for event_type in owned]
    assert [event_type.name for event_type in events.subscribable_event_types()] == [
        "person.created",
        "person.updated",
        "person.terminated",
        "charter.published",
        "charter.acknowledged",
        "scorecard.submitted",
        "application.decided",
        "support_request.opened",
        "support_request.resolved",
        "coaching_task.completed",
        "coaching_plan.completed",
        "recognition.given",
    ]


def test_enablement_knows_no_event_of_managers_or_coaching():
    names = {event_type.name for event_type in (*managers_events.EVENT_TYPES, *coaching_events.EVENT_TYPES)}
    templates = [
        path for path in (ROOT / "templates").rglob("*") if path.relative_to(ROOT / "templates").parts[0] not in APPS
    ]
    files = [path for path in (*(ROOT / "enablement").rglob("*"), *templates) if path.is_file()]
    files = [path for path in files if path.suffix in (".py", ".html", ".txt", ".md", ".json")]
    mentions = [f"{path.relative_to(ROOT)}: {name}" for path in files for name in names if name in path.read_text()]
    assert files
    assert not mentions


def test_enablement_imports_neither_managers_nor_coaching():
    imports = []
    for path in (ROOT / "enablement").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            modules = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
            where = path.relative_to(ROOT)
            imports += [f"{where}: {module}" for module in modules if module.split(".")[0] in ("managers", "coaching")]
    assert not imports


def test_register_event_type_again_changes_nothing_and_another_contract_is_refused(registry):
    register_event_type(PULSE)
    register_event_type(EventType("pulse.closed", "A pulse survey closed.", {"id": "the survey's id"}))
    assert events.get_event_type("pulse.closed") == PULSE
    with pytest.raises(ValueError, match="already registered"):
        register_event_type(EventType("pulse.closed", "Another contract.", {"id": "the survey's id"}))
    assert events.get_event_type("pulse.closed") == PULSE


def test_an_endpoint_subscribes_to_registered_types_only(hr_admin, registry):
    subscribable = [event_type.name for event_type in events.subscribable_event_types()]
    endpoint = endpoint_create(url="https://hooks.example.com/all", event_types=subscribable, by=hr_admin)
    assert endpoint.event_types == sorted(subscribable)
    for unknown in (["pulse.closed"], [TEST_EVENT.name]):
        with pytest.raises(ValidationError, match="Unknown event types"):
            endpoint_create(url="https://hooks.example.com/pulse", event_types=unknown, by=hr_admin)

    register_event_type(PULSE)

    endpoint = endpoint_create(url="https://hooks.example.com/pulse", event_types=["pulse.closed"], by=hr_admin)
    assert endpoint.event_types == ["pulse.closed"]


def test_the_endpoint_page_and_the_admin_offer_the_registered_types(client, hr_admin, registry):
    register_event_type(PULSE)
    subscribable = [event_type.name for event_type in events.subscribable_event_types()]
    assert "pulse.closed" in subscribable and TEST_EVENT.name not in subscribable
    page_form = WebhookEndpointForm(submit_label="Save")
    assert [name for name, _label in page_form.fields["event_types"].choices] == subscribable
    admin_form = WebhookEndpointAdminForm()
    assert [name for name, _label in admin_form.fields["event_types"].choices] == subscribable

    client.force_login(hr_admin)
    page = client.get(reverse("webhooks:endpoint-create")).content.decode()
    assert all(f'value="{name}"' in page for name in subscribable)
    assert "A pulse survey closed." in page and f'value="{TEST_EVENT.name}"' not in page


def test_readme_documents_every_registered_event_type():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Webhooks\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    documented = {name for row in rows for name in re.findall(r"`([a-z_]+\.[a-z_]+)`", row.split("|")[1])}
    assert documented == {event_type.name for event_type in events.all_event_types()}
