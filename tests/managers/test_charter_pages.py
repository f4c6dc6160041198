"""The charter pages, signed in as a leader and as a manager, with the wrong user every time."""

import datetime
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from managers.models import Acknowledgement, CharterEvent, CharterVersion, FocusArea, MetricReading, Role
from managers.services.charters import (
    charter_acknowledge,
    charter_draft_start,
    charter_publish,
    role_assign,
)
from managers.services.readings import metric_reading_record
from tests.conftest import build_charter, build_org, from_built
from tests.enablement.factories import PersonFactory, UserFactory
from tests.helpers import login_as
from tests.managers.factories import FocusAreaFactory, RoleFactory, SuccessMetricFactory, publishable_draft

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def built(module_db) -> dict:
    """The org and `charter` (see `build_charter` in conftest.py), built once for the module; each test reads
    its own copy. Every test sees this data: the roles fsm-enterprise (v1 published, `owner` and `peer` asked
    to acknowledge it) and fsm-other (a draft v1, held by `outsider`)."""
    org = build_org()
    return {"org": org, "charter": build_charter(org)}


org = from_built("org")
charter = from_built("charter")


def _draft_post(version: CharterVersion, **overrides) -> dict:
    """The edit form as the browser posts it, from the version's current items."""
    data = {"purpose": overrides.pop("purpose", version.purpose)}
    sections = {
        "focus_areas": [
            {"title": i.title, "description": i.description, "time_share": i.time_share}
            for i in version.focus_areas.all()
        ],
        "deprioritized": [
            {"activity": i.activity, "reason": i.reason, "hand_off_to": i.hand_off_to}
            for i in version.deprioritized.all()
        ],
        "metrics": [
            {
                "key": i.key,
                "name": i.name,
                "unit": i.unit,
                "target": i.target,
                "direction": i.direction,
                "cadence": i.cadence,
            }
            for i in version.metrics.all()
        ],
        "support_items": [
            {"kind": i.kind, "name": i.name, "function": i.function, "detail": i.detail}
            for i in version.support_items.all()
        ],
    }
    sections.update(overrides)
    for prefix, rows in sections.items():
        data |= {f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": 0}
        for index, row in enumerate(rows):
            data |= {f"{prefix}-{index}-{name}": value for name, value in row.items()}
            data[f"{prefix}-{index}-ORDER"] = row.get("ORDER", index + 1)
    return data


# Role list and role page (leaders).


def test_role_list_shows_state_adoption_clarity_and_review(client, org, charter):
    acknowledgement = Acknowledgement.objects.get(person=org["owner"], version=charter["version"])
    charter_acknowledge(
        acknowledgement=acknowledgement,
        by=org["owner"].user,
        clarity_focus=4,
        clarity_deprioritize=2,
        clarity_success=5,
    )
    Role.objects.filter(pk=charter["other_role"].pk).update(next_review_on=datetime.date(2020, 1, 1))

    response = login_as(client, org["leader"]).get(reverse("managers:role-list"))

    assert response.status_code == 200
    roles = {role.code: role for role in response.context["roles"]}
    enterprise = roles["fsm-enterprise"]
    assert (enterprise.published_number, enterprise.acknowledged_count, enterprise.holder_count) == (1, 1, 2)
    assert (enterprise.clarity_focus, enterprise.clarity_deprioritize, enterprise.clarity_success) == (4, 2, 5)
    assert roles["fsm-other"].draft_number == 1 and roles["fsm-other"].published_number is None
    body = response.content.decode()
    assert "1 of 2" in body and "Overdue" in body


def test_role_list_is_for_leaders_only(client, org, charter):
    assert login_as(client, org["owner"]).get(reverse("managers:role-list")).status_code == 403
    client.logout()
    assert client.get(reverse("managers:role-list")).status_code == 302


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_role_list_queries_do_not_grow_with_roles(client, org, charter):
    client = login_as(client, org["leader"])

    def count() -> int:
        return _queries(client, reverse("managers:role-list"))

    two_roles = count()
    for number in range(48):  # published, with holders who acknowledged, so every column has work to do
        role = RoleFactory()
        holder = PersonFactory(user=UserFactory())
        role_assign(person=holder, role=role, on=datetime.date(2026, 1, 1), by=None)
        version = charter_publish(version=publishable_draft(role=role), by=org["leader"].user)
        charter_acknowledge(
            acknowledgement=Acknowledgement.objects.get(version=version),
            by=holder.user,
            clarity_focus=1 + number % 5,
            clarity_deprioritize=3,
            clarity_success=4,
        )
        publishable_draft(role=role, number=2)
    assert Role.objects.count() == 50
    assert count() == two_roles


def test_leader_creates_a_role_and_lands_on_its_draft(client, org):
    response = login_as(client, org["leader"]).post(
        reverse("managers:role-create"),
        {"name": "Frontline Sales Manager, SMB", "code": "fsm-smb", "review_cadence_months": 6},
    )
    role = Role.objects.get(code="fsm-smb")
    draft = role.versions.get()
    assert response.url == reverse("managers:version-edit", args=[draft.pk])
    assert draft.is_draft and CharterEvent.objects.filter(role=role, action="role_created").exists()


def test_role_create_reports_bad_input(client, org, charter):
    response = login_as(client, org["leader"]).post(
        reverse("managers:role-create"), {"name": "", "code": "fsm-enterprise", "review_cadence_months": 0}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"name", "code", "review_cadence_months"}


def test_role_detail_shows_versions_holders_and_audit_trail(client, org, charter):
    response = login_as(client, org["leader"]).get(reverse("managers:role-detail", args=[charter["role"].pk]))
    body = response.content.decode()
    assert org["owner"].full_name in body and org["peer"].full_name in body
    assert "published" in body.lower()
    assert [event.action for event in response.context["events"]][0] == CharterEvent.Action.PUBLISHED


def test_leader_assigns_a_role_and_the_new_holder_is_asked_to_acknowledge(client, org, charter):
    newcomer = PersonFactory(manager=org["leader"], user=UserFactory())
    login_as(client, org["leader"]).post(
        reverse("managers:role-assign", args=[charter["role"].pk]),
        {"person": newcomer.pk, "started_on": "2026-03-01"},
    )
    assert Acknowledgement.objects.filter(person=newcomer, version=charter["version"], acknowledged_at=None).exists()


def test_manager_cannot_use_leader_pages(client, org, charter):
    client = login_as(client, org["owner"])
    role, version = charter["role"], charter["version"]
    for url in (
        reverse("managers:role-detail", args=[role.pk]),
        reverse("managers:role-create"),
        reverse("managers:question-list"),
        reverse("managers:version-edit", args=[version.pk]),
    ):
        assert client.get(url).status_code == 403, url
    own = Acknowledgement.objects.get(person=org["owner"], version=version)
    for url in (
        reverse("managers:role-assign", args=[role.pk]),
        reverse("managers:draft-start", args=[role.pk]),
        reverse("managers:version-publish", args=[charter["other_draft"].pk]),
        reverse("managers:role-mark-reviewed", args=[role.pk]),
        reverse("managers:role-edit", args=[role.pk]),
        reverse("managers:version-edit", args=[charter["other_draft"].pk]),
        reverse("managers:acknowledgement-answer", args=[own.pk]),
    ):
        assert client.post(url).status_code == 403, url
    assert charter["other_draft"].__class__.objects.get(pk=charter["other_draft"].pk).is_draft


# Drafts: edit with formsets, publish, next version.


def test_leader_edits_a_draft_adding_removing_and_reordering_items(client, org, charter):
    draft = charter["other_draft"]
    first, second = draft.focus_areas.all()
    rows = [
        {"title": second.title, "description": "", "time_share": 50, "ORDER": 1},
        {"title": "Hire and onboard", "description": "Own the interview loop", "time_share": 20, "ORDER": 2},
        {"title": first.title, "description": "", "time_share": 20, "ORDER": 3, "DELETE": "on"},
    ]
    response = login_as(client, org["leader"]).post(
        reverse("managers:version-edit", args=[draft.pk]), _draft_post(draft, purpose="New purpose", focus_areas=rows)
    )
    assert response.status_code == 302
    assert list(draft.focus_areas.values_list("title", "time_share")) == [(second.title, 50), ("Hire and onboard", 20)]
    draft.refresh_from_db()
    assert draft.purpose == "New purpose"


def test_draft_edit_ignores_the_blank_extra_rows_a_browser_posts(client, org, charter):
    draft = charter["other_draft"]
    data = _draft_post(draft, purpose="Same items, new purpose")
    # The browser also posts each formset's empty extra row, whose selects keep their first choice.
    for prefix, defaults in (
        ("focus_areas", {}),
        ("deprioritized", {}),
        ("support_items", {"kind": "tool"}),
        ("metrics", {"direction": "higher", "cadence": "monthly"}),
    ):
        index = data[f"{prefix}-TOTAL_FORMS"]
        data[f"{prefix}-TOTAL_FORMS"] = index + 1
        data |= {f"{prefix}-{index}-{name}": value for name, value in defaults.items()}
    response = login_as(client, org["leader"]).post(reverse("managers:version-edit", args=[draft.pk]), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.purpose == "Same items, new purpose" and draft.metrics.count() == 1


def test_draft_edit_refuses_more_than_100_percent_and_non_numeric_targets(client, org, charter):
    draft = charter["other_draft"]
    before = list(draft.focus_areas.values_list("title", "time_share"))
    rows = [{"title": "A", "time_share": 70}, {"title": "B", "time_share": 40}]
    client = login_as(client, org["leader"])

    response = client.post(reverse("managers:version-edit", args=[draft.pk]), _draft_post(draft, focus_areas=rows))
    assert response.status_code == 400
    assert "add up to 110% of time" in response.content.decode()

    metric = draft.metrics.get()
    bad_metric = [{"name": metric.name, "unit": "%", "target": "lots", "direction": "higher", "cadence": "monthly"}]
    response = client.post(reverse("managers:version-edit", args=[draft.pk]), _draft_post(draft, metrics=bad_metric))
    assert "Enter a number." in response.content.decode()
    assert list(draft.focus_areas.values_list("title", "time_share")) == before
    assert draft.metrics.get().target == metric.target


def test_publish_freezes_the_version_and_asks_holders(client, org, charter):
    draft = charter["other_draft"]
    response = login_as(client, org["leader"]).post(reverse("managers:version-publish", args=[draft.pk]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == CharterVersion.Status.PUBLISHED
    assert Acknowledgement.objects.filter(version=draft, person=org["outsider"], acknowledged_at=None).exists()


def test_publishing_an_invalid_draft_shows_the_reasons_and_changes_nothing(client, org, charter):
    draft = charter["other_draft"]
    draft.focus_areas.all().delete()
    draft.metrics.all().delete()
    response = login_as(client, org["leader"]).post(reverse("managers:version-publish", args=[draft.pk]), follow=True)
    body = response.content.decode()
    assert "Add at least one focus area." in body and "Add at least one success metric" in body
    draft.refresh_from_db()
    assert draft.is_draft
    assert not Acknowledgement.objects.filter(version=draft).exists()


def test_nobody_can_change_a_published_version_through_the_pages(client, org, charter):
    version = charter["version"]
    before = list(FocusArea.objects.filter(version=version).values_list("title", "time_share"))
    client = login_as(client, org["leader"])

    rewritten = _draft_post(version, purpose="Rewritten", focus_areas=[{"title": "X", "time_share": 10}])
    response = client.post(reverse("managers:version-edit", args=[version.pk]), rewritten)

    assert response.status_code == 302
    version.refresh_from_db()
    assert version.purpose != "Rewritten"
    assert list(FocusArea.objects.filter(version=version).values_list("title", "time_share")) == before
    assert client.get(reverse("managers:version-edit", args=[version.pk])).status_code == 302


def test_start_next_version_copies_the_published_one(client, org, charter):
    response = login_as(client, org["leader"]).post(reverse("managers:draft-start", args=[charter["role"].pk]))
    draft = charter["role"].versions.get(status="draft")
    assert response.url == reverse("managers:version-edit", args=[draft.pk])
    assert draft.number == 2
    assert list(draft.metrics.values_list("key", flat=True)) == list(
        charter["version"].metrics.values_list("key", flat=True)
    )
    edit = login_as(client, org["leader"]).get(response.url)
    assert edit.status_code == 200 and "Coach every seller weekly" in edit.content.decode()


def test_compare_marks_added_removed_and_changed_items(client, org, charter):
    client = login_as(client, org["leader"])
    client.post(reverse("managers:draft-start", args=[charter["role"].pk]))
    draft = charter["role"].versions.get(status="draft")
    rows = [{"title": "Coach every seller weekly", "time_share": 50}, {"title": "Forecast calls", "time_share": 20}]
    client.post(reverse("managers:version-edit", args=[draft.pk]), _draft_post(draft, focus_areas=rows))

    response = client.get(reverse("managers:version-compare"), {"a": charter["version"].pk, "b": draft.pk})

    focus = next(section for section in response.context["diff"].sections if section.name == "focus_areas")
    states = {change.item.title: change.state for change in focus.changes}
    assert states == {
        "Coach every seller weekly": "changed",
        "Forecast calls": "added",
        "Run pipeline reviews": "removed",
    }
    assert 'data-change="added"' in response.content.decode()


def test_manager_cannot_compare_with_a_draft_or_another_role(client, org, charter):
    response = login_as(client, org["owner"]).get(
        reverse("managers:version-compare"), {"a": charter["version"].pk, "b": charter["other_draft"].pk}
    )
    assert response.status_code == 400
    assert "Run pipeline reviews" not in response.content.decode()


def test_mark_reviewed_moves_the_next_review(client, org, charter):
    role = charter["role"]
    Role.objects.filter(pk=role.pk).update(next_review_on=datetime.date(2020, 1, 1))
    login_as(client, org["leader"]).post(reverse("managers:role-mark-reviewed", args=[role.pk]))
    role.refresh_from_db()
    assert role.next_review_on > timezone.localdate()


# Version page visibility.


def test_manager_sees_their_published_charter_but_no_draft_or_other_role(client, org, charter):
    client = login_as(client, org["owner"])
    assert client.get(reverse("managers:version-detail", args=[charter["version"].pk])).status_code == 200
    assert client.get(reverse("managers:version-detail", args=[charter["other_draft"].pk])).status_code == 404
    assert client.post(reverse("managers:draft-start", args=[charter["role"].pk])).status_code == 403
    login_as(client, org["leader"]).post(reverse("managers:draft-start", args=[charter["role"].pk]))
    own_draft = charter["role"].versions.get(status="draft")
    assert (
        login_as(client, org["owner"]).get(reverse("managers:version-detail", args=[own_draft.pk])).status_code == 404
    )


# My charter (managers).


def test_my_charter_shows_the_charter_and_the_acknowledge_form(client, org, charter):
    response = login_as(client, org["owner"]).get(reverse("managers:my-charter"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Coach every seller weekly" in body and "Waiting for your acknowledgement" in body
    assert response.context["ack_form"] is not None


def test_manager_acknowledges_with_ratings_and_a_question(client, org, charter):
    acknowledgement = Acknowledgement.objects.get(person=org["owner"], version=charter["version"])
    client = login_as(client, org["owner"])
    response = client.post(
        reverse("managers:my-charter-acknowledge", args=[acknowledgement.pk]),
        {"clarity_focus": 5, "clarity_deprioritize": 3, "clarity_success": 4, "question": "Does hiring count?"},
    )
    assert response.url == reverse("managers:my-charter")
    acknowledgement.refresh_from_db()
    assert acknowledgement.acknowledged_at is not None
    assert (acknowledgement.clarity_focus, acknowledgement.clarity_deprioritize, acknowledgement.clarity_success) == (
        5,
        3,
        4,
    )
    page = client.get(reverse("managers:my-charter")).content.decode()
    assert "Acknowledged" in page and "Does hiring count?" in page


def test_acknowledge_requires_all_three_ratings_in_range(client, org, charter):
    acknowledgement = Acknowledgement.objects.get(person=org["owner"], version=charter["version"])
    response = login_as(client, org["owner"]).post(
        reverse("managers:my-charter-acknowledge", args=[acknowledgement.pk]),
        {"clarity_focus": 9, "clarity_deprioritize": 3},
    )
    assert response.status_code == 400
    assert set(response.context["ack_form"].errors) == {"clarity_focus", "clarity_success"}
    acknowledgement.refresh_from_db()
    assert acknowledgement.is_pending


def test_manager_cannot_acknowledge_for_someone_else(client, org, charter):
    peers = Acknowledgement.objects.get(person=org["peer"], version=charter["version"])
    response = login_as(client, org["owner"]).post(
        reverse("managers:my-charter-acknowledge", args=[peers.pk]),
        {"clarity_focus": 5, "clarity_deprioritize": 5, "clarity_success": 5},
    )
    assert response.status_code == 404
    peers.refresh_from_db()
    assert peers.is_pending


def test_my_charter_shows_what_changed_since_the_last_acknowledged_version(client, org, charter):
    acknowledgement = Acknowledgement.objects.get(person=org["owner"], version=charter["version"])
    charter_acknowledge(
        acknowledgement=acknowledgement,
        by=org["owner"].user,
        clarity_focus=4,
        clarity_deprioritize=4,
        clarity_success=4,
    )
    leader = login_as(client, org["leader"])
    leader.post(reverse("managers:draft-start", args=[charter["role"].pk]))
    draft = charter["role"].versions.get(status="draft")
    rows = [{"title": "Coach every seller weekly", "time_share": 40}, {"title": "Hire great people", "time_share": 20}]
    leader.post(reverse("managers:version-edit", args=[draft.pk]), _draft_post(draft, focus_areas=rows))
    leader.post(reverse("managers:version-publish", args=[draft.pk]))

    response = login_as(client, org["owner"]).get(reverse("managers:my-charter"))

    body = response.content.decode()
    assert "What changed since v1" in body
    assert "Hire great people" in body and 'data-change="removed"' in body
    assert response.context["ack_form"] is not None


def test_my_charter_for_someone_without_a_role_explains(client, org):
    response = login_as(client, org["seller"]).get(reverse("managers:my-charter"))
    assert response.status_code == 200
    assert "don't hold a role" in response.content.decode()


def test_my_charter_queries_do_not_grow_with_roles_metrics_or_readings(client, org, charter):
    # Given the page in its fullest state: a question asked on v1, v2 published with a diff to show.
    acknowledgement = Acknowledgement.objects.get(person=org["owner"], version=charter["version"])
    charter_acknowledge(
        acknowledgement=acknowledgement,
        by=org["owner"].user,
        clarity_focus=3,
        clarity_deprioritize=3,
        clarity_success=3,
        question="Q?",
    )
    draft = charter_draft_start(role=charter["role"], by=org["leader"].user)
    FocusAreaFactory(version=draft, title="Extra focus", time_share=1)
    version = charter_publish(version=draft, by=org["leader"].user)
    client = login_as(client, org["owner"])
    before = _queries(client, reverse("managers:my-charter"))

    # When its rows grow: ten more metrics with five readings each, and 48 more roles.
    for number in range(10):
        metric = SuccessMetricFactory(version=version, name=f"Extra metric {number}")
        for month in range(1, 6):
            metric_reading_record(
                person=org["owner"],
                metric=metric,
                day=datetime.date(2026, month, 1),
                value=Decimal(month),
                note="",
                by=org["owner"].user,
            )
    for _ in range(48):
        publishable_draft(role=RoleFactory())

    # Then the page runs the same queries.
    assert _queries(client, reverse("managers:my-charter")) == before


def test_manager_records_a_reading_and_sees_its_status(client, org, charter):
    metric = charter["version"].metrics.get()
    client = login_as(client, org["owner"])
    reading = {"metric": metric.pk, "day": "2026-05-17", "value": "93.5", "note": "Two deals slipped"}
    response = client.post(reverse("managers:reading-record"), reading)
    assert response.url == reverse("managers:my-charter") + "#record-reading"
    reading = MetricReading.objects.get(person=org["owner"])
    assert (reading.period, reading.value) == (datetime.date(2026, 5, 1), Decimal("93.5"))
    page = client.get(reverse("managers:my-charter"))
    assert page.context["metric_statuses"][0].status == "at_risk"
    assert "<svg" in page.content.decode()


def test_reading_refuses_bad_values_and_other_roles_metrics(client, org, charter):
    client = login_as(client, org["owner"])
    metric = charter["version"].metrics.get()
    response = client.post(
        reverse("managers:reading-record"), {"metric": metric.pk, "day": "2026-05-17", "value": "n/a"}
    )
    assert response.status_code == 400 and "Enter a number." in response.content.decode()
    other_metric = charter["other_draft"].metrics.get()
    response = client.post(
        reverse("managers:reading-record"), {"metric": other_metric.pk, "day": "2026-05-17", "value": "1"}
    )
    assert response.status_code == 400
    assert not MetricReading.objects.exists()


def test_my_charter_pages_refuse_anonymous_and_wrong_methods(client, org, charter):
    assert client.get(reverse("managers:my-charter")).status_code == 302
    client = login_as(client, org["owner"])
    assert client.put(reverse("managers:my-charter")).status_code == 405
    assert client.get(reverse("managers:reading-record")).status_code == 405


# Questions and answers.


def test_leader_answers_a_question_and_the_manager_sees_it(client, org, charter):
    acknowledgement = Acknowledgement.objects.get(person=org["owner"], version=charter["version"])
    charter_acknowledge(
        acknowledgement=acknowledgement,
        by=org["owner"].user,
        clarity_focus=3,
        clarity_deprioritize=3,
        clarity_success=3,
        question="Who owns forecasting?",
    )
    leader = login_as(client, org["leader"])
    assert "Who owns forecasting?" in leader.get(reverse("managers:question-list")).content.decode()

    leader.post(reverse("managers:acknowledgement-answer", args=[acknowledgement.pk]), {"answer": "RevOps does."})

    page = login_as(client, org["owner"]).get(reverse("managers:my-charter")).content.decode()
    assert "RevOps does." in page


def test_a_leader_outside_the_askers_tree_cannot_answer(client, org, charter):
    acknowledgement = Acknowledgement.objects.get(person=org["owner"], version=charter["version"])
    charter_acknowledge(
        acknowledgement=acknowledgement,
        by=org["owner"].user,
        clarity_focus=3,
        clarity_deprioritize=3,
        clarity_success=3,
        question="Who owns forecasting?",
    )
    other_leader = PersonFactory(user=UserFactory(roles=["Sales leader"]))
    role_assign(person=other_leader, role=charter["other_role"], on=datetime.date(2026, 1, 1), by=None)
    response = login_as(client, other_leader).post(
        reverse("managers:acknowledgement-answer", args=[acknowledgement.pk]), {"answer": "Not mine to answer"}
    )
    assert response.status_code == 404
    acknowledgement.refresh_from_db()
    assert acknowledgement.answer == ""


def test_navigation_offers_charters_to_leaders_and_my_charter_to_holders(client, org, charter):
    def labels(person) -> list[str]:
        return [item["label"] for item in login_as(client, person).get(reverse("password_change")).context["nav_items"]]

    assert "Charters" in labels(org["leader"]) and "My charter" not in labels(org["leader"])
    assert "My charter" in labels(org["owner"]) and "Charters" not in labels(org["owner"])
    assert "My charter" not in labels(org["seller"])


def test_version_page_shows_a_leader_only_their_own_trees_ratings(client, org, charter):
    other_draft = charter["other_draft"]
    charter_publish(version=other_draft, by=org["leader"].user)
    outsiders = Acknowledgement.objects.get(person=org["outsider"], version=other_draft)
    charter_acknowledge(
        acknowledgement=outsiders, by=org["outsider"].user, clarity_focus=1, clarity_deprioritize=2, clarity_success=3
    )

    response = login_as(client, org["leader"]).get(reverse("managers:version-detail", args=[other_draft.pk]))

    assert response.status_code == 200
    assert list(response.context["acknowledgements"]) == []
    assert org["outsider"].full_name not in response.content.decode()


def test_role_list_counts_only_current_holders(client, org, charter):
    owners = Acknowledgement.objects.get(person=org["owner"], version=charter["version"])
    charter_acknowledge(
        acknowledgement=owners, by=org["owner"].user, clarity_focus=5, clarity_deprioritize=5, clarity_success=5
    )
    role_assign(person=org["owner"], role=charter["other_role"], on=datetime.date(2026, 4, 1), by=None)

    response = login_as(client, org["leader"]).get(reverse("managers:role-list"))

    enterprise = next(role for role in response.context["roles"] if role.code == "fsm-enterprise")
    assert (enterprise.acknowledged_count or 0, enterprise.holder_count) == (0, 1)
    assert enterprise.clarity_focus is None


def test_manager_cannot_compare_another_roles_published_versions(client, org, charter):
    charter_publish(version=charter["other_draft"], by=org["leader"].user)
    response = login_as(client, org["owner"]).get(
        reverse("managers:version-compare"), {"a": charter["version"].pk, "b": charter["other_draft"].pk}
    )
    assert response.status_code == 400
    assert response.context["diff"] is None
    assert (
        login_as(client, org["owner"])
        .get(reverse("managers:version-detail", args=[charter["other_draft"].pk]))
        .status_code
        == 404
    )


def test_a_leader_cannot_answer_their_own_question(client, org, charter):
    role_assign(person=org["leader"], role=charter["role"], on=datetime.date(2026, 2, 1), by=None)
    own = Acknowledgement.objects.get(person=org["leader"], version=charter["version"])
    charter_acknowledge(
        acknowledgement=own,
        by=org["leader"].user,
        clarity_focus=3,
        clarity_deprioritize=3,
        clarity_success=3,
        question="Am I clear?",
    )
    response = login_as(client, org["leader"]).post(
        reverse("managers:acknowledgement-answer", args=[own.pk]), {"answer": "Yes, me."}
    )
    assert response.status_code == 403
    own.refresh_from_db()
    assert own.answer == ""


def test_leader_edits_a_role_and_its_review_cadence(client, org, charter):
    role = charter["role"]
    client = login_as(client, org["leader"])
    assert client.get(reverse("managers:role-edit", args=[role.pk])).status_code == 200
    response = client.post(
        reverse("managers:role-edit", args=[role.pk]),
        {"name": "FSM, Enterprise", "description": "Leads 6-8 AEs", "review_cadence_months": 3, "code": "hacked"},
    )
    assert response.url == reverse("managers:role-detail", args=[role.pk])
    role.refresh_from_db()
    assert (role.name, role.code, role.review_cadence_months) == ("FSM, Enterprise", "fsm-enterprise", 3)
    assert role.next_review_on == role.last_reviewed_on + relativedelta(months=3)
    assert CharterEvent.objects.filter(role=role, action="role_changed").exists()


def test_home_takes_a_holder_to_their_charter_until_they_acknowledge_it(client, org, charter):
    client = login_as(client, org["owner"])
    assert client.get(reverse("enablement:home")).url == reverse("managers:my-charter")
    charter_acknowledge(
        acknowledgement=Acknowledgement.objects.get(person=org["owner"]),
        by=org["owner"].user,
        clarity_focus=4,
        clarity_deprioritize=4,
        clarity_success=4,
    )
    assert client.get(reverse("enablement:home")).url == reverse("coaching:team")


def test_role_edit_refuses_a_bad_cadence_and_changes_nothing(client, org, charter):
    role = charter["role"]
    response = login_as(client, org["leader"]).post(
        reverse("managers:role-edit", args=[role.pk]), {"name": "", "description": "", "review_cadence_months": 0}
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "review_cadence_months"}
    role.refresh_from_db()
    assert (role.name, role.review_cadence_months) == ("Frontline Sales Manager, Enterprise", 6)
    assert login_as(client, org["owner"]).get(reverse("managers:role-edit", args=[role.pk])).status_code == 403
