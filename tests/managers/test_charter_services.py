import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from managers.charter_diff import compare_versions
from managers.models import Acknowledgement, CharterVersion, MetricReading, RoleAssignment, SuccessMetric
from managers.selectors.charters import metric_status, version_with_items
from managers.services.charters import (
    charter_acknowledge,
    charter_draft_save,
    charter_draft_start,
    charter_publish,
    role_assign,
)
from managers.services.readings import metric_reading_record
from tests.managers.factories import RoleFactory, SuccessMetricFactory, publishable_draft

pytestmark = pytest.mark.django_db

ITEMS = {
    "focus_areas": [{"title": "Coach", "time_share": 60}],
    "deprioritized": [],
    "metrics": [{"name": "Quota", "unit": "%", "target": Decimal("100"), "direction": "higher", "cadence": "monthly"}],
    "support_items": [],
}


def _ratings(**extra):
    return {"clarity_focus": 4, "clarity_deprioritize": 3, "clarity_success": 5, **extra}


def test_published_version_cannot_be_saved_or_published_again(org, charter):
    version = charter["version"]
    with pytest.raises(ValidationError, match="can no longer be changed"):
        charter_draft_save(version=version, by=org["leader"].user, purpose="Changed", **ITEMS)
    with pytest.raises(ValidationError, match="Only a draft can be published"):
        charter_publish(version=version, by=org["leader"].user)
    version.refresh_from_db()
    assert version.purpose != "Changed" and version.focus_areas.count() == 2


def test_publish_lists_every_reason_and_changes_nothing(org):
    draft = CharterVersion.objects.create(role=RoleFactory(), number=1, purpose="")
    with pytest.raises(ValidationError) as error:
        charter_publish(version=draft, by=org["leader"].user)
    assert len(error.value.messages) == 3  # purpose, focus area, metric
    draft.refresh_from_db()
    assert draft.is_draft and draft.published_at is None


def test_draft_save_refuses_shares_over_100_and_duplicate_metrics(org, charter):
    draft = charter["other_draft"]
    key = draft.metrics.get().key
    metric = {
        "key": key,
        "name": "Quota",
        "unit": "%",
        "target": Decimal("100"),
        "direction": "higher",
        "cadence": "monthly",
    }
    too_much = [{"title": "A", "time_share": 80}, {"title": "B", "time_share": 30}]
    with pytest.raises(ValidationError) as error:
        charter_draft_save(
            version=draft,
            by=org["leader"].user,
            purpose="P",
            **{**ITEMS, "focus_areas": too_much, "metrics": [metric, metric]},
        )
    assert any("110%" in message for message in error.value.messages)
    assert any("appears twice" in message for message in error.value.messages)
    assert draft.focus_areas.count() == 2


def test_draft_save_keeps_a_metrics_key_and_gives_new_metrics_new_keys(org, charter):
    draft = charter["other_draft"]
    key = draft.metrics.get().key
    renamed = {
        "key": key,
        "name": "Quota attainment",
        "unit": "%",
        "target": Decimal("95"),
        "direction": "higher",
        "cadence": "monthly",
    }
    new = {"name": "Ramp", "unit": "days", "target": Decimal("90"), "direction": "lower", "cadence": "quarterly"}
    charter_draft_save(version=draft, by=None, purpose="P", **{**ITEMS, "metrics": [renamed, new]})
    keys = list(draft.metrics.values_list("key", flat=True))
    assert keys[0] == key and keys[1] != key


def test_publish_retires_the_previous_version_and_asks_holders_again(org, charter):
    role = charter["role"]
    draft = charter_draft_start(role=role, by=org["leader"].user)
    charter_publish(version=draft, by=org["leader"].user)

    charter["version"].refresh_from_db()
    assert charter["version"].status == CharterVersion.Status.RETIRED
    assert set(Acknowledgement.objects.filter(version=draft).values_list("person", flat=True)) == {
        org["owner"].pk,
        org["peer"].pk,
    }
    # The open requests for v1 were withdrawn in favour of v2.
    assert not Acknowledgement.objects.filter(version=charter["version"], acknowledged_at=None).exists()


def test_draft_start_copies_items_and_refuses_a_second_draft(org, charter):
    draft = charter_draft_start(role=charter["role"], by=org["leader"].user)
    assert draft.number == 2 and draft.purpose == charter["version"].purpose
    assert draft.focus_areas.count() == 2 and draft.support_items.count() == 1
    with pytest.raises(ValidationError, match="already has a draft"):
        charter_draft_start(role=charter["role"], by=org["leader"].user)


def test_acknowledge_only_by_the_holder_once_and_while_holding_the_role(org, charter):
    owners = Acknowledgement.objects.get(person=org["owner"], version=charter["version"])
    with pytest.raises(PermissionDenied, match="by the person asked"):
        charter_acknowledge(acknowledgement=owners, by=org["peer"].user, **_ratings())
    charter_acknowledge(acknowledgement=owners, by=org["owner"].user, **_ratings(question="  Why?  "))
    owners.refresh_from_db()
    assert owners.question == "Why?" and owners.clarity_success == 5
    with pytest.raises(ValidationError, match="already acknowledged"):
        charter_acknowledge(acknowledgement=owners, by=org["owner"].user, **_ratings())

    peers = Acknowledgement.objects.get(person=org["peer"], version=charter["version"])
    RoleAssignment.objects.filter(person=org["peer"]).update(ended_on=datetime.date(2026, 2, 1))
    with pytest.raises(ValidationError, match="no longer hold"):
        charter_acknowledge(acknowledgement=peers, by=org["peer"].user, **_ratings())


def test_acknowledge_refuses_ratings_outside_1_to_5(org, charter):
    owners = Acknowledgement.objects.get(person=org["owner"], version=charter["version"])
    with pytest.raises(ValidationError):
        charter_acknowledge(acknowledgement=owners, by=org["owner"].user, **_ratings(clarity_focus=6))
    owners.refresh_from_db()
    assert owners.is_pending


def test_role_assign_keeps_history_and_withdraws_the_old_request(org, charter):
    role_assign(person=org["owner"], role=charter["other_role"], on=datetime.date(2026, 3, 1), by=None)
    history = list(RoleAssignment.objects.filter(person=org["owner"]).order_by("started_on"))
    assert [(a.role, a.ended_on) for a in history] == [
        (charter["role"], datetime.date(2026, 3, 1)),
        (charter["other_role"], None),
    ]
    assert not Acknowledgement.objects.filter(person=org["owner"], version=charter["version"]).exists()
    with pytest.raises(ValidationError):
        role_assign(person=org["owner"], role=charter["role"], on=datetime.date(2026, 2, 1), by=None)


def test_metric_reading_rules(org, charter):
    metric = charter["version"].metrics.get()
    owner = org["owner"]
    reading = metric_reading_record(
        person=owner, metric=metric, day=datetime.date(2026, 4, 9), value=Decimal("97"), note="", by=owner.user
    )
    assert reading.period == datetime.date(2026, 4, 1)
    stamp = MetricReading.objects.get(pk=reading.pk).updated_at
    metric_reading_record(
        person=owner, metric=metric, day=datetime.date(2026, 4, 20), value=Decimal("97"), note="", by=owner.user
    )
    assert MetricReading.objects.get(pk=reading.pk).updated_at == stamp  # same value again: not rewritten

    with pytest.raises(ValidationError, match="future"):
        metric_reading_record(
            person=owner,
            metric=metric,
            day=timezone.localdate() + datetime.timedelta(days=40),
            value=Decimal("1"),
            note="",
            by=owner.user,
        )
    with pytest.raises(ValidationError, match="before you took the role"):
        metric_reading_record(
            person=owner, metric=metric, day=datetime.date(2025, 6, 1), value=Decimal("1"), note="", by=owner.user
        )
    with pytest.raises(ValidationError, match="not a metric of your current charter"):
        metric_reading_record(
            person=owner,
            metric=charter["other_draft"].metrics.get(),
            day=datetime.date(2026, 4, 1),
            value=Decimal("1"),
            note="",
            by=owner.user,
        )
    assert MetricReading.objects.count() == 1


@pytest.mark.parametrize(
    ("direction", "value", "expected"),
    [
        ("higher", "100", "on_track"),
        ("higher", "90", "at_risk"),
        ("higher", "89.99", "off_track"),
        ("lower", "120", "on_track"),
        ("lower", "132", "at_risk"),
        ("lower", "132.01", "off_track"),
        ("higher", None, "no_data"),
    ],
)
def test_metric_status_rule(direction, value, expected):
    target = Decimal("100") if direction == "higher" else Decimal("120")
    metric = SuccessMetric(target=target, direction=direction)
    assert metric_status(metric, Decimal(value) if value else None) == expected


def test_compare_versions_follows_a_renamed_metric_by_its_key(org, charter):
    draft = charter_draft_start(role=charter["role"], by=org["leader"].user)
    draft.metrics.update(name="Quota attainment (net)")
    SuccessMetricFactory(version=draft, name="Ramp time")
    old, new = (
        version_with_items(CharterVersion.objects.filter(pk=pk)).get() for pk in (charter["version"].pk, draft.pk)
    )
    metrics = next(section for section in compare_versions(old, new).sections if section.name == "metrics")
    assert [(change.state, change.changed_fields) for change in metrics.changes] == [
        ("changed", ["metric"]),
        ("added", []),
    ]


def test_publishable_draft_factory_is_publishable(org):
    assert charter_publish(version=publishable_draft(), by=org["leader"].user).status == "published"
