"""The charter API under /api/v1/: who may read and change what, and that every change goes through the
services' rules (drafts only, publish validation, own acknowledgements and readings only)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from enablement.accounts import roles
from enablement.api.base import ScopedPermission, api_validation_error
from managers.models import Acknowledgement, CharterEvent, CharterVersion, MetricReading, SuccessMetric
from managers.services.charters import charter_acknowledge, charter_draft_start, charter_publish
from tests.conftest import build_charter, build_org, from_built
from tests.enablement.factories import PersonFactory, UserFactory
from tests.helpers import api_client
from tests.managers.factories import (
    AcknowledgementFactory,
    CharterVersionFactory,
    FocusAreaFactory,
    RoleFactory,
    publishable_draft,
)

pytestmark = pytest.mark.django_db

SECTIONS = ("focus_areas", "deprioritized", "metrics", "support_items")


@dataclass(frozen=True)
class FakeToken:
    """What the API-token issue will put in `request.auth`: a credential with scopes."""

    scopes: frozenset[str]


def _ack(person, version) -> Acknowledgement:
    return Acknowledgement.objects.get(person=person, version=version)


def _snapshot(version: CharterVersion) -> tuple:
    """Everything a change to a version would touch, items included (replaced items get new ids)."""
    version = CharterVersion.objects.get(pk=version.pk)
    items = tuple(tuple(getattr(version, section).values()) for section in SECTIONS)
    return version.status, version.purpose, version.updated_at, version.published_at, items


def _draft_body(**overrides) -> dict:
    body = {
        "purpose": "Coach every seller to hit their number.",
        "focus_areas": [
            {"title": "Coach sellers weekly", "time_share": 50},
            {"title": "Pipeline reviews", "description": "Every Monday", "time_share": 30},
        ],
        "deprioritized": [{"activity": "Internal reporting", "reason": "RevOps owns it.", "hand_off_to": "RevOps"}],
        "metrics": [
            {"name": "Ramp time", "unit": "days", "target": "90", "direction": "lower", "cadence": "quarterly"}
        ],
        "support_items": [{"kind": "tool", "name": "CRM"}],
    }
    return {**body, **overrides}


@pytest.fixture(scope="module", autouse=True)
def built(module_db) -> dict:
    """The org and `charter` (see `build_charter` in conftest.py), built once for the module; each test reads
    its own copy. Every test sees this data: the roles fsm-enterprise (v1 published, `owner` and `peer` asked
    to acknowledge it) and fsm-other (a draft v1, held by `outsider`), and no metric readings."""
    org = build_org()
    return {"org": org, "charter": build_charter(org)}


org = from_built("org")
charter = from_built("charter")


@pytest.fixture
def other_published(org, charter):
    """The other role's draft, published: `outsider` is asked to acknowledge it."""
    return charter_publish(version=charter["other_draft"], by=org["leader"].user)


@pytest.fixture
def retired(org, charter):
    """v1 of the owner's role retired by publishing v2 (a copy of it)."""
    v2 = charter_publish(
        version=charter_draft_start(role=charter["role"], by=org["leader"].user), by=org["leader"].user
    )
    return {"v1": charter["version"], "v2": v2}


# Shared pieces: scopes and service errors.


@pytest.mark.parametrize("method", ["GET", "POST", "PATCH"])
def test_scoped_permission_lets_a_session_user_through(method):
    request = SimpleNamespace(auth=None, method=method, user=SimpleNamespace(is_authenticated=True))
    view = SimpleNamespace(required_scopes={"read": "charters:read", "write": "charters:write"})
    assert ScopedPermission().has_permission(request, view) is True


@pytest.mark.parametrize(
    ("scopes", "method", "allowed"),
    [
        ({"charters:read"}, "GET", True),
        ({"charters:read"}, "HEAD", True),
        ({"charters:read"}, "POST", False),
        ({"charters:read"}, "PATCH", False),
        ({"charters:write"}, "POST", True),
        ({"charters:write"}, "GET", False),
        ({"charters:read", "charters:write"}, "PUT", True),
        ({"people:read", "people:write"}, "GET", False),
        (set(), "GET", False),
    ],
)
def test_scoped_permission_needs_the_token_scope_for_the_method(scopes, method, allowed):
    request = SimpleNamespace(auth=FakeToken(frozenset(scopes)), method=method)
    view = SimpleNamespace(required_scopes={"read": "charters:read", "write": "charters:write"})
    assert ScopedPermission().has_permission(request, view) is allowed


def test_scoped_permission_refuses_a_credential_without_scopes():
    request = SimpleNamespace(auth=object(), method="GET")
    view = SimpleNamespace(required_scopes={"read": "charters:read", "write": "charters:write"})
    assert ScopedPermission().has_permission(request, view) is False


def test_scoped_permission_refuses_tokens_where_no_scope_is_named_and_needs_both_scopes():
    person = SimpleNamespace(is_authenticated=True)
    session = SimpleNamespace(auth=None, method="GET", user=person)
    token = SimpleNamespace(auth=FakeToken(frozenset({"charters:read"})), method="GET", user=person)
    assert ScopedPermission().has_permission(session, SimpleNamespace()) is True
    assert ScopedPermission().has_permission(token, SimpleNamespace()) is False
    request = session
    with pytest.raises(ImproperlyConfigured):
        ScopedPermission().has_permission(request, SimpleNamespace(required_scopes={"read": "charters:read"}))


def test_scoped_permission_guards_every_charter_viewset(org, charter):
    """Given a token that may only read charters, when it reads and writes, then only reads pass."""
    owner = org["owner"]
    read_only = api_client(owner.user, token=FakeToken(frozenset({"charters:read"})))
    for name in ("role-list", "charter-version-list", "acknowledgement-list", "metric-reading-list"):
        assert read_only.get(reverse(name)).status_code == 200, name
    metric = charter["version"].metrics.get()
    body = {"metric": metric.pk, "day": timezone.localdate().isoformat(), "value": "95"}
    assert read_only.post(reverse("metric-reading-list"), body, format="json").status_code == 403
    ack_url = reverse("acknowledgement-acknowledge", args=[_ack(owner, charter["version"]).pk])
    ratings = {"clarity_focus": 4, "clarity_deprioritize": 4, "clarity_success": 4}
    assert read_only.post(ack_url, ratings, format="json").status_code == 403
    assert not MetricReading.objects.exists()
    assert _ack(owner, charter["version"]).is_pending

    read_write = api_client(owner.user, token=FakeToken(frozenset({"charters:read", "charters:write"})))
    assert read_write.post(reverse("metric-reading-list"), body, format="json").status_code == 201


def test_api_validation_error_keeps_field_errors_and_names_the_rest_non_field():
    field_error = api_validation_error(DjangoValidationError({"answer": "Write an answer."}))
    assert field_error.detail == {"answer": ["Write an answer."]}
    listed = api_validation_error(DjangoValidationError(["First reason.", "Second reason."]))
    assert listed.detail == {"non_field_errors": ["First reason.", "Second reason."]}
    model_wide = api_validation_error(DjangoValidationError({"__all__": ["Whole object."], "name": ["Too long."]}))
    assert model_wide.detail == {"non_field_errors": ["Whole object."], "name": ["Too long."]}


# Anonymous users get nothing anywhere.


def test_every_endpoint_refuses_anonymous(charter, org):
    version, ack = charter["version"], _ack(org["owner"], charter["version"])
    requests = [
        ("get", reverse("role-list")),
        ("get", reverse("role-detail", args=[charter["role"].pk])),
        ("get", reverse("charter-version-list")),
        ("get", reverse("charter-version-detail", args=[version.pk])),
        ("put", reverse("charter-version-detail", args=[charter["other_draft"].pk])),
        ("patch", reverse("charter-version-detail", args=[charter["other_draft"].pk])),
        ("post", reverse("charter-version-publish", args=[charter["other_draft"].pk])),
        ("get", reverse("acknowledgement-list")),
        ("get", reverse("acknowledgement-detail", args=[ack.pk])),
        ("post", reverse("acknowledgement-acknowledge", args=[ack.pk])),
        ("post", reverse("acknowledgement-answer", args=[ack.pk])),
        ("get", reverse("metric-reading-list")),
        ("post", reverse("metric-reading-list")),
    ]
    before = _snapshot(charter["other_draft"])
    for method, url in requests:
        response = getattr(api_client(), method)(url, {}, format="json")
        assert response.status_code == 401, (method, url)
    assert _snapshot(charter["other_draft"]) == before
    assert _ack(org["owner"], version).is_pending


# Roles.


def test_role_list_shows_a_leader_every_role_with_its_published_version(charter, org, retired):
    response = api_client(org["leader"].user).get(reverse("role-list"))
    assert response.status_code == 200
    by_code = {row["code"]: row for row in response.data["results"]}
    assert set(by_code) == {"fsm-enterprise", "fsm-other"}
    enterprise = by_code["fsm-enterprise"]
    assert enterprise["id"] == charter["role"].pk
    assert enterprise["name"] == "Frontline Sales Manager, Enterprise"
    assert enterprise["review_cadence_months"] == 6
    assert enterprise["next_review_on"] is not None
    assert enterprise["published_version"] == {"id": retired["v2"].pk, "number": 2}
    assert retired["v2"].pk != 2  # so a mix-up of id and number shows
    assert by_code["fsm-other"]["published_version"] is None


def test_role_list_shows_a_manager_only_the_role_they_hold(charter, org):
    response = api_client(org["owner"].user).get(reverse("role-list"))
    assert [row["id"] for row in response.data["results"]] == [charter["role"].pk]


def test_role_detail_of_another_role_is_404_for_a_manager(charter, org):
    owner = api_client(org["owner"].user)
    assert owner.get(reverse("role-detail", args=[charter["role"].pk])).status_code == 200
    assert owner.get(reverse("role-detail", args=[charter["other_role"].pk])).status_code == 404
    assert api_client(org["outsider"].user).get(reverse("role-detail", args=[charter["role"].pk])).status_code == 404


def test_roles_are_read_only(charter, org):
    leader = api_client(org["leader"].user)
    assert leader.post(reverse("role-list"), {"code": "x", "name": "X"}, format="json").status_code == 405
    detail = reverse("role-detail", args=[charter["role"].pk])
    assert leader.patch(detail, {"name": "Renamed"}, format="json").status_code == 405
    assert leader.delete(detail).status_code == 405
    charter["role"].refresh_from_db()
    assert charter["role"].name == "Frontline Sales Manager, Enterprise"


def _add_roles(count: int) -> None:
    for _ in range(count):
        publishable_draft(role=RoleFactory(), number=1, status=CharterVersion.Status.PUBLISHED)


def _queries_for(client: APIClient, url: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), len(response.data["results"])


@pytest.mark.parametrize("list_name", ["role-list", "charter-version-list"])
def test_list_endpoints_run_as_many_queries_for_50_roles_as_for_2(org, charter, list_name):
    """Given 2 roles with their charters (the module's: fsm-enterprise's published v1 and fsm-other's draft),
    then 50: the leader's list costs the same number of queries."""
    client = APIClient()
    client.force_login(org["leader"].user)  # a fresh user per request, as in production
    with_two, rows_two = _queries_for(client, reverse(list_name))
    _add_roles(48)
    with_fifty, rows_fifty = _queries_for(client, reverse(list_name))
    assert (rows_two, rows_fifty) == (2, 50)
    assert with_fifty == with_two


def _add_reports(leader, version: CharterVersion, count: int) -> None:
    """People reporting to `leader`, each with an answered acknowledgement of `version` and a reading."""
    metric, now = version.metrics.get(), timezone.now()
    for _ in range(count):
        person = PersonFactory(manager=leader)
        AcknowledgementFactory(
            person=person,
            version=version,
            acknowledged_at=now,
            clarity_focus=4,
            clarity_deprioritize=4,
            clarity_success=4,
            question="Why?",
            answer="Because.",
            answered_by=leader.user,
            answered_at=now,
        )
        MetricReading.objects.create(
            person=person,
            metric=metric,
            metric_key=metric.key,
            period=now.date(),
            value=Decimal("90"),
            recorded_by=leader.user,
        )


@pytest.mark.parametrize("list_name", ["acknowledgement-list", "metric-reading-list"])
def test_list_endpoints_run_as_many_queries_for_30_people_as_for_2(list_name):
    # A leader of their own branch: the module's acknowledgements (of owner and peer) are not in their sub-tree.
    leader = PersonFactory(user=UserFactory(roles=[roles.SALES_LEADER]))
    client = APIClient()
    client.force_login(leader.user)
    version = publishable_draft(number=1, status=CharterVersion.Status.PUBLISHED)
    _add_reports(leader, version, 2)
    with_two, rows_two = _queries_for(client, reverse(list_name))
    _add_reports(leader, version, 28)
    with_thirty, rows_thirty = _queries_for(client, reverse(list_name))
    assert (rows_two, rows_thirty) == (2, 30)
    assert with_thirty == with_two


# Charter versions: reading.


def test_charter_version_detail_has_every_item_in_order(charter, org):
    version = charter["version"]
    response = api_client(org["owner"].user).get(reverse("charter-version-detail", args=[version.pk]))
    assert response.status_code == 200
    data = response.data
    assert (data["number"], data["status"], data["role"]["id"]) == (1, "published", charter["role"].pk)
    assert data["purpose"] == version.purpose
    assert [area["title"] for area in data["focus_areas"]] == ["Coach every seller weekly", "Run pipeline reviews"]
    assert [area["time_share"] for area in data["focus_areas"]] == [40, 30]
    assert data["deprioritized"][0]["activity"] == "Closing deals personally"
    metric = version.metrics.get()
    assert data["metrics"] == [
        {
            "id": metric.pk,
            "position": metric.position,
            "key": str(metric.key),
            "name": "Team quota attainment",
            "unit": "%",
            "target": "100.00",
            "direction": "higher",
            "cadence": "monthly",
        }
    ]
    assert data["support_items"][0]["function"] == "RevOps"


def test_charter_version_list_shows_a_manager_only_published_versions_of_their_role(charter, org, other_published):
    response = api_client(org["owner"].user).get(reverse("charter-version-list"))
    assert [row["id"] for row in response.data["results"]] == [charter["version"].pk]


def test_charter_version_of_another_role_is_404_for_a_manager(charter, org, other_published):
    owner = api_client(org["owner"].user)
    assert owner.get(reverse("charter-version-detail", args=[other_published.pk])).status_code == 404
    outsider = api_client(org["outsider"].user)
    assert outsider.get(reverse("charter-version-detail", args=[charter["version"].pk])).status_code == 404


def test_charter_version_draft_is_404_for_a_manager_even_of_their_own_role(charter, org):
    draft = charter_draft_start(role=charter["role"], by=org["leader"].user)
    owner = api_client(org["owner"].user)
    assert owner.get(reverse("charter-version-detail", args=[draft.pk])).status_code == 404
    assert owner.get(reverse("charter-version-detail", args=[charter["other_draft"].pk])).status_code == 404
    # The outsider holds the other role, but its version is still a draft.
    outsider = api_client(org["outsider"].user)
    assert outsider.get(reverse("charter-version-detail", args=[charter["other_draft"].pk])).status_code == 404


def test_charter_version_list_filters_by_role_for_a_leader(charter, org):
    leader = api_client(org["leader"].user)
    everything = leader.get(reverse("charter-version-list"))
    assert {row["id"] for row in everything.data["results"]} == {charter["version"].pk, charter["other_draft"].pk}
    other = leader.get(reverse("charter-version-list"), {"role": charter["other_role"].pk})
    assert [row["id"] for row in other.data["results"]] == [charter["other_draft"].pk]
    assert other.data["results"][0]["status"] == "draft"
    bad = leader.get(reverse("charter-version-list"), {"role": "enterprise"})
    assert bad.status_code == 400
    assert "role" in bad.data["errors"]


# Charter versions: editing a draft.


def test_charter_version_put_replaces_a_draft_through_the_service(charter, org):
    draft = charter["other_draft"]
    kept = draft.metrics.get()
    body = _draft_body(
        metrics=[
            {"key": str(kept.key), "name": "Quota attainment", "unit": "%", "target": "95.5"},
            {"name": "Ramp time", "unit": "days", "target": "90", "direction": "lower", "cadence": "quarterly"},
        ]
    )
    response = api_client(org["leader"].user).put(
        reverse("charter-version-detail", args=[draft.pk]), body, format="json"
    )
    assert response.status_code == 200, response.data
    draft.refresh_from_db()
    assert draft.purpose == "Coach every seller to hit their number."
    assert list(draft.focus_areas.values_list("title", "time_share", "position")) == [
        ("Coach sellers weekly", 50, 0),
        ("Pipeline reviews", 30, 1),
    ]
    assert list(draft.deprioritized.values_list("activity", "hand_off_to")) == [("Internal reporting", "RevOps")]
    metrics = list(draft.metrics.all())
    assert [(metric.name, metric.target) for metric in metrics] == [
        ("Quota attainment", Decimal("95.50")),
        ("Ramp time", Decimal("90.00")),
    ]
    assert metrics[0].key == kept.key  # the same metric, renamed
    assert metrics[1].key != kept.key
    assert list(draft.support_items.values_list("kind", "name")) == [("tool", "CRM")]
    assert [item["title"] for item in response.data["focus_areas"]] == ["Coach sellers weekly", "Pipeline reviews"]
    assert CharterEvent.objects.filter(version=draft, action=CharterEvent.Action.DRAFT_EDITED).exists()


def test_charter_version_patch_keeps_the_sections_it_does_not_send(charter, org):
    draft = charter["other_draft"]
    before = _snapshot(draft)[4]
    url = reverse("charter-version-detail", args=[draft.pk])
    response = api_client(org["leader"].user).patch(url, {"purpose": "A sharper purpose."}, format="json")
    assert response.status_code == 200, response.data
    draft.refresh_from_db()
    assert draft.purpose == "A sharper purpose."
    after = _snapshot(draft)[4]
    fields = ("title", "time_share", "activity", "reason", "key", "name", "target", "kind")
    assert [[{k: row[k] for k in fields if k in row} for row in section] for section in after] == [
        [{k: row[k] for k in fields if k in row} for row in section] for section in before
    ]


def test_charter_version_put_needs_every_section(charter, org):
    draft = charter["other_draft"]
    before = _snapshot(draft)
    url = reverse("charter-version-detail", args=[draft.pk])
    response = api_client(org["leader"].user).put(url, {"purpose": "Only a purpose."}, format="json")
    assert response.status_code == 400
    assert set(response.data["errors"]) == set(SECTIONS)
    assert _snapshot(draft) == before


def test_charter_version_put_rejects_bad_items_with_field_errors(charter, org):
    draft = charter["other_draft"]
    before = _snapshot(draft)
    body = _draft_body(
        focus_areas=[{"title": "", "time_share": 150}],
        metrics=[{"name": "Ramp", "unit": "days", "target": "ninety", "direction": "sideways"}],
    )
    url = reverse("charter-version-detail", args=[draft.pk])
    response = api_client(org["leader"].user).put(url, body, format="json")
    assert response.status_code == 400
    assert set(response.data["errors"]["focus_areas"][0]) == {"title", "time_share"}
    assert set(response.data["errors"]["metrics"][0]) == {"target", "direction"}
    assert _snapshot(draft) == before


def test_charter_version_put_returns_the_services_reasons_and_changes_nothing(charter, org):
    draft = charter["other_draft"]
    before = _snapshot(draft)
    body = _draft_body(focus_areas=[{"title": "Coaching", "time_share": 70}, {"title": "Hiring", "time_share": 60}])
    url = reverse("charter-version-detail", args=[draft.pk])
    response = api_client(org["leader"].user).put(url, body, format="json")
    assert response.status_code == 400
    assert response.data["errors"] == {
        "non_field_errors": ["Focus areas add up to 130% of time; they can take at most 100%."]
    }
    assert _snapshot(draft) == before


@pytest.mark.parametrize("method", ["put", "patch"])
def test_charter_version_published_cannot_be_changed_even_by_a_leader(charter, org, method):
    version = charter["version"]
    before = _snapshot(version)
    url = reverse("charter-version-detail", args=[version.pk])
    response = getattr(api_client(org["leader"].user), method)(url, _draft_body(), format="json")
    assert response.status_code == 400
    assert response.data["errors"] == {"non_field_errors": ["Version 1 is published and can no longer be changed."]}
    assert _snapshot(version) == before


def test_charter_version_retired_cannot_be_changed(org, retired):
    before = _snapshot(retired["v1"])
    url = reverse("charter-version-detail", args=[retired["v1"].pk])
    response = api_client(org["leader"].user).patch(url, {"purpose": "Rewritten history."}, format="json")
    assert response.status_code == 400
    assert "retired and can no longer be changed" in response.data["errors"]["non_field_errors"][0]
    assert _snapshot(retired["v1"]) == before


def test_charter_version_cannot_be_changed_by_a_manager(charter, org):
    """A manager may not edit anything: 403 where they can see the version, 404 where they cannot."""
    published, draft = charter["version"], charter["other_draft"]
    before = (_snapshot(published), _snapshot(draft))
    owner, outsider = api_client(org["owner"].user), api_client(org["outsider"].user)
    published_url = reverse("charter-version-detail", args=[published.pk])
    draft_url = reverse("charter-version-detail", args=[draft.pk])
    assert owner.patch(published_url, {"purpose": "Mine now."}, format="json").status_code == 403
    assert owner.put(published_url, _draft_body(), format="json").status_code == 403
    assert owner.put(draft_url, _draft_body(), format="json").status_code == 404
    assert outsider.put(draft_url, _draft_body(), format="json").status_code == 404  # their role's draft
    assert outsider.patch(published_url, {"purpose": "Mine now."}, format="json").status_code == 404
    assert (_snapshot(published), _snapshot(draft)) == before


def test_charter_version_cannot_be_created_or_deleted(charter, org):
    leader = api_client(org["leader"].user)
    assert leader.post(reverse("charter-version-list"), _draft_body(), format="json").status_code == 405
    assert leader.delete(reverse("charter-version-detail", args=[charter["other_draft"].pk])).status_code == 405
    assert CharterVersion.objects.filter(pk=charter["other_draft"].pk).exists()


# Charter versions: publishing.


def test_charter_version_publish_freezes_the_draft_and_asks_holders(charter, org):
    draft = charter["other_draft"]
    response = api_client(org["leader"].user).post(reverse("charter-version-publish", args=[draft.pk]))
    assert response.status_code == 200
    assert response.data["status"] == "published"
    draft.refresh_from_db()
    assert draft.status == CharterVersion.Status.PUBLISHED
    assert draft.published_by == org["leader"].user
    assert _ack(org["outsider"], draft).is_pending


def test_charter_version_publish_of_an_invalid_draft_returns_every_reason_and_changes_nothing(org):
    draft = CharterVersionFactory(role=RoleFactory(), number=1, purpose="")
    FocusAreaFactory(version=draft, time_share=60)
    FocusAreaFactory(version=draft, time_share=60)
    before = _snapshot(draft)
    response = api_client(org["leader"].user).post(reverse("charter-version-publish", args=[draft.pk]))
    assert response.status_code == 400
    assert response.data["errors"] == {
        "non_field_errors": [
            "Write the role's purpose.",
            "Focus areas add up to 120% of time; they can take at most 100%.",
            "Add at least one success metric, so the role knows what success looks like.",
        ]
    }
    assert _snapshot(draft) == before
    assert not Acknowledgement.objects.filter(version=draft).exists()
    assert not CharterEvent.objects.filter(version=draft, action=CharterEvent.Action.PUBLISHED).exists()


def test_charter_version_publish_of_a_published_version_is_refused(charter, org):
    version = charter["version"]
    before = _snapshot(version)
    response = api_client(org["leader"].user).post(reverse("charter-version-publish", args=[version.pk]))
    assert response.status_code == 400
    assert "Only a draft can be published." in response.data["errors"]["non_field_errors"]
    assert _snapshot(version) == before


def test_charter_version_publish_is_for_leaders_only(charter, org):
    draft = charter["other_draft"]
    assert api_client(org["owner"].user).post(reverse("charter-version-publish", args=[draft.pk])).status_code == 404
    assert api_client(org["outsider"].user).post(reverse("charter-version-publish", args=[draft.pk])).status_code == 404
    published_url = reverse("charter-version-publish", args=[charter["version"].pk])
    assert api_client(org["owner"].user).post(published_url).status_code == 403
    assert api_client(org["leader"].user).get(reverse("charter-version-publish", args=[draft.pk])).status_code == 405
    draft.refresh_from_db()
    assert draft.status == CharterVersion.Status.DRAFT


# Acknowledgements.

RATINGS = {"clarity_focus": 4, "clarity_deprioritize": 3, "clarity_success": 5}


def test_acknowledgement_list_shows_a_manager_only_their_own(charter, org):
    response = api_client(org["owner"].user).get(reverse("acknowledgement-list"))
    assert response.status_code == 200
    assert [row["id"] for row in response.data["results"]] == [_ack(org["owner"], charter["version"]).pk]
    row = response.data["results"][0]
    assert row["person"] == {"id": org["owner"].pk, "name": org["owner"].full_name}
    assert row["version"]["id"] == charter["version"].pk
    assert row["acknowledged_at"] is None


def test_acknowledgement_list_shows_a_leader_their_sub_tree_only(charter, org, other_published):
    response = api_client(org["leader"].user).get(reverse("acknowledgement-list"))
    assert {row["person"]["id"] for row in response.data["results"]} == {org["owner"].pk, org["peer"].pk}


def test_acknowledgement_detail_of_someone_else_is_404_for_a_manager(charter, org):
    url = reverse("acknowledgement-detail", args=[_ack(org["peer"], charter["version"]).pk])
    assert api_client(org["owner"].user).get(url).status_code == 404
    assert api_client(org["peer"].user).get(url).status_code == 200


def test_acknowledgement_acknowledge_records_the_ratings_and_question(charter, org):
    ack = _ack(org["owner"], charter["version"])
    body = {**RATINGS, "question": "  Does hiring count as coaching time?  "}
    url = reverse("acknowledgement-acknowledge", args=[ack.pk])
    response = api_client(org["owner"].user).post(url, body, format="json")
    assert response.status_code == 200
    assert response.data["acknowledged_at"] is not None
    ack.refresh_from_db()
    assert (ack.clarity_focus, ack.clarity_deprioritize, ack.clarity_success) == (4, 3, 5)
    assert ack.question == "Does hiring count as coaching time?"
    assert not ack.is_pending


def test_acknowledgement_acknowledge_for_someone_else_is_404(charter, org):
    """Neither a peer nor the leader above can acknowledge on a manager's behalf."""
    ack = _ack(org["peer"], charter["version"])
    url = reverse("acknowledgement-acknowledge", args=[ack.pk])
    assert api_client(org["owner"].user).post(url, RATINGS, format="json").status_code == 404
    assert api_client(org["leader"].user).post(url, RATINGS, format="json").status_code == 404
    ack.refresh_from_db()
    assert ack.is_pending
    assert ack.clarity_focus is None


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"clarity_focus": 0, "clarity_deprioritize": 3, "clarity_success": 6}, {"clarity_focus", "clarity_success"}),
        ({"clarity_focus": "very", "clarity_deprioritize": 3, "clarity_success": 3}, {"clarity_focus"}),
        ({}, {"clarity_focus", "clarity_deprioritize", "clarity_success"}),
    ],
)
def test_acknowledgement_acknowledge_rejects_ratings_outside_1_to_5(charter, org, body, fields):
    ack = _ack(org["owner"], charter["version"])
    url = reverse("acknowledgement-acknowledge", args=[ack.pk])
    response = api_client(org["owner"].user).post(url, body, format="json")
    assert response.status_code == 400
    assert set(response.data["errors"]) == fields
    ack.refresh_from_db()
    assert ack.is_pending


def test_acknowledgement_acknowledge_twice_is_refused(charter, org):
    ack = _ack(org["owner"], charter["version"])
    charter_acknowledge(
        acknowledgement=ack, by=org["owner"].user, clarity_focus=2, clarity_deprioritize=2, clarity_success=2
    )
    url = reverse("acknowledgement-acknowledge", args=[ack.pk])
    response = api_client(org["owner"].user).post(url, RATINGS, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "status": 400,
        "code": "invalid",
        "detail": "You already acknowledged this version.",
        "errors": {"non_field_errors": ["You already acknowledged this version."]},
    }
    ack.refresh_from_db()
    assert ack.clarity_focus == 2


def test_acknowledgement_acknowledge_is_post_only(charter, org):
    url = reverse("acknowledgement-acknowledge", args=[_ack(org["owner"], charter["version"]).pk])
    assert api_client(org["owner"].user).get(url).status_code == 405


@pytest.fixture
def question(charter, org):
    ack = _ack(org["owner"], charter["version"])
    return charter_acknowledge(
        acknowledgement=ack,
        by=org["owner"].user,
        clarity_focus=3,
        clarity_deprioritize=2,
        clarity_success=4,
        question="Who owns forecasting?",
    )


def test_acknowledgement_answer_by_the_leader_above(question, org):
    url = reverse("acknowledgement-answer", args=[question.pk])
    response = api_client(org["leader"].user).post(url, {"answer": "RevOps owns it."}, format="json")
    assert response.status_code == 200
    assert response.data["answer"] == "RevOps owns it."
    question.refresh_from_db()
    assert (question.answer, question.answered_by) == ("RevOps owns it.", org["leader"].user)
    assert question.answered_at is not None
    # The manager sees the answer.
    mine = api_client(org["owner"].user).get(reverse("acknowledgement-detail", args=[question.pk]))
    assert mine.data["answer"] == "RevOps owns it."


def test_acknowledgement_answer_is_refused_to_the_manager_who_asked(question, org):
    url = reverse("acknowledgement-answer", args=[question.pk])
    assert api_client(org["owner"].user).post(url, {"answer": "I answer myself."}, format="json").status_code == 403
    assert api_client(org["peer"].user).post(url, {"answer": "A peer's view."}, format="json").status_code == 404
    question.refresh_from_db()
    assert question.answer == ""


def test_acknowledgement_answer_is_404_for_a_leader_of_another_branch(question):
    other_leader = PersonFactory(user=UserFactory(username="other_leader", roles=[roles.SALES_LEADER])).user
    url = reverse("acknowledgement-answer", args=[question.pk])
    assert api_client(other_leader).post(url, {"answer": "Not my team."}, format="json").status_code == 404
    question.refresh_from_db()
    assert question.answer == ""


def test_acknowledgement_answer_needs_a_question_and_an_answer(charter, question, org):
    leader = api_client(org["leader"].user)
    blank = leader.post(reverse("acknowledgement-answer", args=[question.pk]), {"answer": "  "}, format="json")
    assert blank.status_code == 400
    assert set(blank.data["errors"]) == {"answer"}
    no_question = _ack(org["peer"], charter["version"])
    url = reverse("acknowledgement-answer", args=[no_question.pk])
    response = leader.post(url, {"answer": "Unprompted."}, format="json")
    assert response.status_code == 400
    assert response.data["errors"] == {"non_field_errors": ["There is no question to answer."]}
    question.refresh_from_db()
    no_question.refresh_from_db()
    assert (question.answer, no_question.answer) == ("", "")


# Metric readings.


def _reading_body(metric: SuccessMetric, /, **overrides) -> dict:
    return {
        "metric": metric.pk,
        "day": timezone.localdate().isoformat(),
        "value": "12.5",
        "note": "Q4 push",
        **overrides,
    }


def test_metric_reading_create_records_it_for_the_requesting_manager(charter, org):
    metric = charter["version"].metrics.get()
    body = _reading_body(metric, person=org["peer"].pk)  # an unknown field naming someone else is ignored
    response = api_client(org["owner"].user).post(reverse("metric-reading-list"), body, format="json")
    assert response.status_code == 201, response.data
    reading = MetricReading.objects.get()
    assert reading.person == org["owner"]
    assert (reading.metric, reading.metric_key) == (metric, metric.key)
    assert reading.period == timezone.localdate().replace(day=1)
    assert reading.value == Decimal("12.50")
    assert (reading.note, reading.recorded_by) == ("Q4 push", org["owner"].user)
    assert response.data["id"] == reading.pk
    assert response.data["value"] == "12.50"
    assert response.data["person"]["id"] == org["owner"].pk


def test_metric_reading_create_corrects_the_same_period(charter, org):
    metric = charter["version"].metrics.get()
    owner = api_client(org["owner"].user)
    assert owner.post(reverse("metric-reading-list"), _reading_body(metric), format="json").status_code == 201
    body = _reading_body(metric, value="14")
    assert owner.post(reverse("metric-reading-list"), body, format="json").status_code == 201
    assert list(MetricReading.objects.values_list("value", flat=True)) == [Decimal("14.00")]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"value": "twelve"}, "value"),
        ({"value": "1234567890123.5"}, "value"),
        ({"day": "22/11/2026"}, "day"),
        ({"day": None}, "day"),
        ({"metric": 999999}, "metric"),
        ({"note": "x" * 301}, "note"),
    ],
)
def test_metric_reading_create_rejects_bad_input_with_field_errors(charter, org, overrides, field):
    body = _reading_body(charter["version"].metrics.get(), **overrides)
    response = api_client(org["owner"].user).post(reverse("metric-reading-list"), body, format="json")
    assert response.status_code == 400
    assert set(response.data["errors"]) == {field}
    assert not MetricReading.objects.exists()


def test_metric_reading_create_rejects_a_future_period(charter, org):
    day = timezone.localdate() + datetime.timedelta(days=62)
    body = _reading_body(charter["version"].metrics.get(), day=day.isoformat())
    response = api_client(org["owner"].user).post(reverse("metric-reading-list"), body, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "status": 400,
        "code": "invalid",
        "detail": "The request is not valid: see errors for what to change.",
        "errors": {"day": ["A reading cannot be for a future period."]},
    }
    assert not MetricReading.objects.exists()


def test_metric_reading_create_rejects_a_metric_of_another_role(charter, org, other_published):
    """The other role's metric does not exist for the owner; the outsider, who holds it, may record it."""
    other_metric = other_published.metrics.get()
    response = api_client(org["owner"].user).post(
        reverse("metric-reading-list"), _reading_body(other_metric), format="json"
    )
    assert response.status_code == 400
    assert set(response.data["errors"]) == {"metric"}
    assert not MetricReading.objects.exists()
    outsider = api_client(org["outsider"].user)
    assert outsider.post(reverse("metric-reading-list"), _reading_body(other_metric), format="json").status_code == 201


def test_metric_reading_create_rejects_a_metric_no_longer_in_the_current_charter(org, retired):
    old_metric = retired["v1"].metrics.get()
    response = api_client(org["owner"].user).post(
        reverse("metric-reading-list"), _reading_body(old_metric), format="json"
    )
    assert response.status_code == 400
    assert response.data["errors"] == {"metric": ["Team quota attainment is not a metric of your current charter."]}
    assert not MetricReading.objects.exists()


def test_metric_reading_create_is_refused_to_an_account_without_a_person(charter, org):
    metric = charter["version"].metrics.get()
    response = api_client(UserFactory()).post(reverse("metric-reading-list"), _reading_body(metric), format="json")
    assert response.status_code == 403
    assert not MetricReading.objects.exists()


def test_metric_reading_list_is_scoped_to_whom_the_user_sees(charter, org):
    metric = charter["version"].metrics.get()
    for manager in (org["owner"], org["peer"]):
        body = _reading_body(metric)
        assert api_client(manager.user).post(reverse("metric-reading-list"), body, format="json").status_code == 201

    def people_seen_by(person) -> list[int]:
        response = api_client(person.user).get(reverse("metric-reading-list"))
        assert response.status_code == 200
        return sorted(row["person"]["id"] for row in response.data["results"])

    assert people_seen_by(org["owner"]) == [org["owner"].pk]
    assert people_seen_by(org["leader"]) == sorted([org["owner"].pk, org["peer"].pk])
    assert people_seen_by(org["outsider"]) == []


def test_metric_readings_cannot_be_read_one_by_one_changed_or_deleted(charter, org):
    metric = charter["version"].metrics.get()
    owner = api_client(org["owner"].user)
    owner.post(reverse("metric-reading-list"), _reading_body(metric), format="json")
    reading = MetricReading.objects.get()
    # No detail route: a reading is corrected by recording the period again.
    assert owner.get(f"{reverse('metric-reading-list')}{reading.pk}/").status_code == 404
    assert owner.put(reverse("metric-reading-list"), _reading_body(metric), format="json").status_code == 405
    assert owner.delete(reverse("metric-reading-list")).status_code == 405


def test_recruiters_and_hr_admins_see_nobody_elses_ratings_or_readings(charter, org, recruiter, hr_admin):
    charter_acknowledge(
        acknowledgement=_ack(org["owner"], charter["version"]),
        by=org["owner"].user,
        clarity_focus=2,
        clarity_deprioritize=2,
        clarity_success=2,
        question="Private?",
    )
    metric = charter["version"].metrics.get()
    api_client(org["owner"].user).post(
        reverse("metric-reading-list"), {"metric": metric.pk, "day": "2026-04-01", "value": "50"}, format="json"
    )
    assert MetricReading.objects.count() == 1
    for user in (recruiter, hr_admin):
        client = api_client(user)
        assert client.get(reverse("acknowledgement-list")).data["count"] == 0
        assert client.get(reverse("metric-reading-list")).data["count"] == 0
    assert api_client(org["leader"].user).get(reverse("acknowledgement-list")).data["count"] == 2
