import datetime

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from enablement.models import Reminder
from enablement.notifications.registry import get_kind
from enablement.notifications.services import reminders_sweep
from managers.models import Acknowledgement
from managers.reminders import ACK_ESCALATION, ACK_PENDING
from managers.services.charters import charter_publish, role_assign
from tests.e2e.test_sign_in import _sign_in
from tests.managers.factories import RoleFactory, publishable_draft

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _overdue_acknowledgements(org, charter) -> None:
    """The owner has not acknowledged the manager charter, nor their seller the seller charter, for
    longer than the escalation delay: the owner is reminded once and told about their seller once."""
    seller_role = RoleFactory(code="ae-enterprise", name="Account Executive, Enterprise")
    charter_publish(version=publishable_draft(role=seller_role, number=1), by=org["leader"].user)
    role_assign(person=org["seller"], role=seller_role, on=datetime.date(2026, 1, 1), by=None)
    days = max(settings.CHARTER_ACK_REMIND_AFTER_DAYS, settings.CHARTER_ACK_ESCALATE_AFTER_DAYS) + 1
    Acknowledgement.objects.filter(acknowledged_at__isnull=True).update(
        requested_at=timezone.now() - datetime.timedelta(days=days)
    )
    for kind in (ACK_PENDING, ACK_ESCALATION):
        reminders_sweep(kind=get_kind(kind))


def test_inbox_shows_new_reminders_and_marking_them_read_updates_the_count(page, org, charter):
    # Given two due reminders for the owner, created by the real charter sweeps.
    _overdue_acknowledgements(org, charter)
    assert Reminder.objects.filter(recipient=org["owner"]).count() == 2

    # When the owner signs in, the navigation bar shows two unread.
    _sign_in(page, "owner")
    navigation = page.locator("#main-nav")
    # (their home is their charter: it waits for their acknowledgement)
    expect(page.get_by_test_id("acknowledgement-state")).to_contain_text("Waiting for your acknowledgement")
    expect(navigation.get_by_test_id("unread-count")).to_have_text("2")

    # They open the inbox and see both reminders.
    navigation.get_by_test_id("inbox-link").click()
    expect(page.get_by_role("heading", name="Inbox")).to_be_visible()
    reminders = page.get_by_test_id("reminder")
    expect(reminders).to_have_count(2)
    acknowledge = reminders.filter(has_text="Please acknowledge your charter: Frontline Sales Manager, Enterprise v1")
    expect(acknowledge).to_be_visible()
    expect(
        reminders.filter(has_text=f"{org['seller'].full_name} has not acknowledged their charter yet")
    ).to_be_visible()

    # Marking one read drops the count by one and takes its button away.
    acknowledge.get_by_role("button", name="Mark read").click()
    expect(navigation.get_by_test_id("unread-count")).to_have_text("1")
    expect(acknowledge.get_by_role("button", name="Mark read")).to_have_count(0)

    # Marking all read removes the badge; the reminders stay in the inbox.
    page.get_by_role("button", name="Mark all read").click()
    expect(page.get_by_text("Marked 1 reminders read.")).to_be_visible()
    expect(navigation.get_by_test_id("inbox-link")).to_be_visible()
    expect(navigation.get_by_test_id("unread-count")).to_have_count(0)
    expect(page.get_by_role("button", name="Mark read")).to_have_count(0)
    expect(reminders).to_have_count(2)
    assert not Reminder.objects.filter(recipient=org["owner"], read_at__isnull=True).exists()
    assert page.outside_requests == []
