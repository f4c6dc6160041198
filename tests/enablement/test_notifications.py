"""Reminders: sweeps, exactly-once delivery, digests, the inbox and preferences (unit level: eager tasks,
the in-memory mail outbox). tests/integration/test_reminders.py runs the same against real workers and SMTP."""

import datetime
import zoneinfo
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from enablement.models import NotificationPreference, NotificationSettings, Reminder
from enablement.notifications.registry import all_kinds, get_kind
from enablement.notifications.services import (
    digest_deliver,
    digests_due,
    next_digest_time,
    reminder_deliver,
    reminders_retry,
    reminders_sweep,
)
from enablement.notifications.tasks import send_digests_task, sweep_reminders_task
from managers.models import Acknowledgement, Role
from managers.reminders import ACK_ESCALATION, ACK_PENDING, REVIEW_DUE
from managers.services.charters import charter_acknowledge, charter_mark_reviewed, role_assign
from tests.enablement.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _age_requests(days: int) -> None:
    Acknowledgement.objects.update(requested_at=NOW - datetime.timedelta(days=days))


def _sweep(name: str, now=None) -> list[int]:
    return reminders_sweep(kind=get_kind(name), now=now or NOW)


# Sweeps.


def test_sweep_reminds_holders_once_their_request_is_old_enough(org, charter, settings):
    _age_requests(settings.CHARTER_ACK_REMIND_AFTER_DAYS - 1)
    assert _sweep(ACK_PENDING) == []
    _age_requests(settings.CHARTER_ACK_REMIND_AFTER_DAYS)

    ready = _sweep(ACK_PENDING)

    reminders = Reminder.objects.filter(kind=ACK_PENDING)
    assert set(reminders.values_list("recipient", flat=True)) == {org["owner"].pk, org["peer"].pk}
    assert sorted(ready) == sorted(reminders.values_list("pk", flat=True))
    assert reminders.first().url == reverse("managers:my-charter") + "#acknowledge"


def test_a_repeated_sweep_creates_nothing_new(org, charter, settings):
    _age_requests(settings.CHARTER_ACK_REMIND_AFTER_DAYS)
    _sweep(ACK_PENDING)
    _sweep(ACK_PENDING)
    assert Reminder.objects.count() == 2


def test_escalation_goes_to_the_manager_after_m_days(org, charter, settings):
    _age_requests(settings.CHARTER_ACK_ESCALATE_AFTER_DAYS)
    _sweep(ACK_ESCALATION)
    escalations = Reminder.objects.filter(kind=ACK_ESCALATION)
    assert set(escalations.values_list("recipient", flat=True)) == {org["leader"].pk}
    assert escalations.count() == 2 and "has not acknowledged" in escalations.first().subject


def test_sweep_runs_the_same_queries_for_3_and_30_due_items(org, charter, settings):
    def queries() -> int:
        _age_requests(settings.CHARTER_ACK_REMIND_AFTER_DAYS)
        Reminder.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            _sweep(ACK_PENDING)
        return len(captured)

    few = queries()
    for _ in range(28):
        role_assign(
            person=PersonFactory(user=UserFactory()), role=charter["role"], on=datetime.date(2026, 1, 1), by=None
        )
    assert queries() == few
    assert Reminder.objects.count() == 30


def test_muted_kinds_create_nothing_and_digest_kinds_wait_for_the_local_hour(org, charter, settings):
    NotificationPreference.objects.create(person=org["owner"], kind=ACK_PENDING, mode="muted")
    NotificationPreference.objects.create(person=org["peer"], kind=ACK_PENDING, mode="digest")
    NotificationSettings.objects.create(person=org["peer"], timezone="America/New_York", digest_hour=9)
    _age_requests(settings.CHARTER_ACK_REMIND_AFTER_DAYS)

    ready = _sweep(ACK_PENDING)

    assert ready == []
    peer_reminder = Reminder.objects.get()
    assert peer_reminder.recipient == org["peer"] and peer_reminder.digest
    local = peer_reminder.deliver_after.astimezone(zoneinfo.ZoneInfo("America/New_York"))
    assert (local.hour, local.minute) == (9, 0) and peer_reminder.deliver_after > NOW


def test_review_reminder_goes_to_the_publisher_until_the_charter_is_reviewed(org, charter):
    Role.objects.filter(pk=charter["role"].pk).update(next_review_on=timezone.localdate())
    _sweep(REVIEW_DUE)
    reminder = Reminder.objects.get(kind=REVIEW_DUE)
    assert reminder.recipient == org["leader"]
    charter_mark_reviewed(role=charter["role"], by=org["leader"].user)
    assert reminder_deliver(reminder_id=reminder.pk, token="t") == "dropped"
    assert mail.outbox == []


def test_next_digest_time_is_the_next_local_hour():
    now = datetime.datetime(2026, 11, 22, 15, 30, tzinfo=datetime.UTC)  # 10:30 in New York
    assert next_digest_time(now, "America/New_York", 9) == datetime.datetime(2026, 11, 23, 14, 0, tzinfo=datetime.UTC)
    assert next_digest_time(now, "America/New_York", 11) == datetime.datetime(2026, 11, 22, 16, 0, tzinfo=datetime.UTC)


# Delivery, exactly once.


def _one_due_reminder(org, charter, settings) -> Reminder:
    Acknowledgement.objects.filter(person=org["peer"]).delete()
    _age_requests(settings.CHARTER_ACK_REMIND_AFTER_DAYS)
    _sweep(ACK_PENDING)
    return Reminder.objects.get()


def test_delivery_sends_one_email_with_both_bodies_and_the_link(org, charter, settings):
    settings.SITE_URL = "https://enablement.example.com"
    reminder = _one_due_reminder(org, charter, settings)

    assert reminder_deliver(reminder_id=reminder.pk, token="a") == "sent"
    assert reminder_deliver(reminder_id=reminder.pk, token="b") == "skipped"

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == [org["owner"].email]
    assert email.subject.startswith("Please acknowledge your charter")
    link = "https://enablement.example.com/my-charter/#acknowledge"
    assert link in email.body
    html, mimetype = email.alternatives[0]
    assert mimetype == "text/html" and f'href="{link}"' in html
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENT and reminder.sent_at is not None


def test_sweep_task_delivers_through_the_queue(org, charter, settings):
    _age_requests(settings.CHARTER_ACK_REMIND_AFTER_DAYS)
    assert sweep_reminders_task.delay(ACK_PENDING).get() == 2
    assert sorted(email.to[0] for email in mail.outbox) == sorted([org["owner"].email, org["peer"].email])
    assert sweep_reminders_task.delay(ACK_PENDING).get() == 0
    assert len(mail.outbox) == 2


def test_a_reminder_whose_work_was_done_is_dropped(org, charter, settings):
    reminder = _one_due_reminder(org, charter, settings)
    charter_acknowledge(
        acknowledgement=Acknowledgement.objects.get(person=org["owner"]),
        by=org["owner"].user,
        clarity_focus=4,
        clarity_deprioritize=4,
        clarity_success=4,
    )
    assert reminder_deliver(reminder_id=reminder.pk, token="a") == "dropped"
    assert mail.outbox == []
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.DROPPED


def test_a_claim_blocks_others_but_not_its_own_redelivery_or_a_stale_one(org, charter, settings):
    reminder = _one_due_reminder(org, charter, settings)
    Reminder.objects.filter(pk=reminder.pk).update(status="sending", claim_token="first", claimed_at=timezone.now())
    assert reminder_deliver(reminder_id=reminder.pk, token="second") == "skipped"
    assert reminder_deliver(reminder_id=reminder.pk, token="first") == "sent"  # the same task, redelivered

    Reminder.objects.filter(pk=reminder.pk).update(
        status="sending", claim_token="dead", claimed_at=timezone.now() - datetime.timedelta(hours=1)
    )
    assert reminder.pk in _sweep(ACK_PENDING, now=timezone.now())  # the next sweep picks up a dead claim
    assert reminder_deliver(reminder_id=reminder.pk, token="third") == "sent"
    assert len(mail.outbox) == 2


def test_a_mail_server_failure_puts_the_reminder_back_then_fails_it(org, charter, settings, monkeypatch):
    reminder = _one_due_reminder(org, charter, settings)

    def refuse(self, fail_silently=False):
        raise SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    with pytest.raises(SMTPServerDisconnected):
        reminder_deliver(reminder_id=reminder.pk, token="a")
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == (Reminder.Status.PENDING, 1)
    assert "Connection unexpectedly closed" in reminder.last_error

    with pytest.raises(SMTPServerDisconnected):
        reminder_deliver(reminder_id=reminder.pk, token="a", final_attempt=True)
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.FAILED

    assert reminders_retry(reminder_ids=[reminder.pk]) == 1
    monkeypatch.undo()
    assert reminder_deliver(reminder_id=reminder.pk, token="b") == "sent"


# Digests.


def test_three_due_items_make_one_digest_email_at_the_local_hour(org, charter, settings):
    NotificationPreference.objects.bulk_create(
        NotificationPreference(person=org["leader"], kind=kind, mode="digest") for kind in (ACK_ESCALATION, REVIEW_DUE)
    )
    NotificationSettings.objects.create(person=org["leader"], timezone="Europe/Berlin", digest_hour=7)
    _age_requests(settings.CHARTER_ACK_ESCALATE_AFTER_DAYS)
    Role.objects.filter(pk=charter["role"].pk).update(next_review_on=timezone.localdate())
    _sweep(ACK_ESCALATION)
    _sweep(REVIEW_DUE)
    assert Reminder.objects.filter(recipient=org["leader"], digest=True).count() == 3
    deliver_at = Reminder.objects.filter(recipient=org["leader"]).first().deliver_after

    assert digests_due(now=deliver_at - datetime.timedelta(minutes=1)) == []
    assert digests_due(now=deliver_at) == [org["leader"].pk]
    Reminder.objects.update(deliver_after=timezone.now())
    assert digest_deliver(person_id=org["leader"].pk, token="d") == "sent"
    assert digest_deliver(person_id=org["leader"].pk, token="e") == "nothing"

    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.subject == "Your daily digest: 3 things to do"
    assert digest.body.count("http://") == 3 + 1  # three items and the preferences link
    assert not Reminder.objects.exclude(status=Reminder.Status.SENT).exists()


# Inbox and preferences.


def _inbox_with_two(org, charter, settings):
    _age_requests(settings.CHARTER_ACK_ESCALATE_AFTER_DAYS)
    _sweep(ACK_ESCALATION)
    return list(Reminder.objects.filter(recipient=org["leader"]))


def test_inbox_shows_reminders_and_the_unread_count(client, org, charter, settings):
    reminders = _inbox_with_two(org, charter, settings)
    client.force_login(org["leader"].user)
    response = client.get(reverse("enablement:inbox"))
    assert response.context["inbox_unread"] == 2
    assert reminders[0].subject in response.content.decode()

    client.post(reverse("enablement:inbox-mark-read", args=[reminders[0].pk]))
    assert client.get(reverse("enablement:inbox")).context["inbox_unread"] == 1
    client.post(reverse("enablement:inbox-mark-all-read"))
    assert client.get(reverse("enablement:inbox")).context["inbox_unread"] == 0


def test_nobody_marks_someone_elses_reminder_and_pages_refuse_anonymous_and_get(client, org, charter, settings):
    reminders = _inbox_with_two(org, charter, settings)
    client.force_login(org["owner"].user)
    assert client.post(reverse("enablement:inbox-mark-read", args=[reminders[0].pk])).status_code == 404
    assert client.get(reverse("enablement:inbox-mark-all-read")).status_code == 405
    client.post(reverse("enablement:inbox-mark-all-read"))
    assert not Reminder.objects.filter(read_at__isnull=False).exists()
    client.logout()
    for url in (reverse("enablement:inbox"), reverse("enablement:notification-preferences")):
        assert client.get(url).status_code == 302


def _preferences_post(timezone: str, digest_hour: int, modes: dict[str, str]) -> dict:
    """The preferences form as the page posts it: every registered kind, "immediate" unless `modes` says."""
    data = {"timezone": timezone, "digest_hour": digest_hour}
    for kind in all_kinds():
        data[f"mode__{kind.name.replace('.', '__')}"] = modes.get(kind.name, "immediate")
    return data


def test_preferences_page_saves_modes_time_zone_and_hour(client, org):
    client.force_login(org["owner"].user)
    response = client.post(
        reverse("enablement:notification-preferences"),
        _preferences_post("Asia/Tokyo", 18, {ACK_PENDING: "digest", ACK_ESCALATION: "muted", REVIEW_DUE: "immediate"}),
    )
    assert response.status_code == 302
    row = NotificationSettings.objects.get(person=org["owner"])
    assert (row.timezone, row.digest_hour) == ("Asia/Tokyo", 18)
    modes = dict(NotificationPreference.objects.filter(person=org["owner"]).values_list("kind", "mode"))
    assert {kind: modes[kind] for kind in (ACK_PENDING, ACK_ESCALATION, REVIEW_DUE)} == {
        ACK_PENDING: "digest",
        ACK_ESCALATION: "muted",
        REVIEW_DUE: "immediate",
    }

    response = client.post(
        reverse("enablement:notification-preferences"), {"timezone": "Mars/Olympus", "digest_hour": 30}
    )
    assert response.status_code == 200
    assert {"timezone", "digest_hour"} <= set(response.context["form"].errors)


# Operations.


def test_one_beat_schedule_per_kind_and_one_for_digests():
    names = set(PeriodicTask.objects.values_list("name", flat=True))
    assert {f"Reminder sweep: {ACK_PENDING}", f"Reminder sweep: {REVIEW_DUE}", "Reminder digests"} <= names
    sweep = PeriodicTask.objects.get(name=f"Reminder sweep: {REVIEW_DUE}")
    assert sweep.task == sweep_reminders_task.name == "enablement.tasks.sweep_reminders_task"
    assert sweep.args == f'["{REVIEW_DUE}"]'


def test_run_sweep_command_sweeps_now(org, charter, settings, capsys):
    _age_requests(settings.CHARTER_ACK_REMIND_AFTER_DAYS)
    call_command("run_sweep", ACK_PENDING)
    assert f"{ACK_PENDING}: 2 reminder(s) queued" in capsys.readouterr().out
    assert len(mail.outbox) == 2
    with pytest.raises(Exception, match="Unknown kinds"):
        call_command("run_sweep", "nope")


def test_admin_lists_reminders_and_retries_failed_ones(
    client, org, charter, settings, hr_admin, django_capture_on_commit_callbacks
):
    reminder = _one_due_reminder(org, charter, settings)
    Reminder.objects.filter(pk=reminder.pk).update(status="failed", last_error="SMTP down")
    client.force_login(hr_admin)
    response = client.get(reverse("admin:enablement_reminder_changelist"), {"status__exact": "failed"})
    assert response.context["cl"].result_count == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:enablement_reminder_changelist"), {"action": "retry", "_selected_action": [reminder.pk]}
        )
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENT and len(mail.outbox) == 1


def test_a_second_sweep_does_not_queue_what_the_first_just_queued(org, charter, settings):
    _age_requests(settings.CHARTER_ACK_REMIND_AFTER_DAYS)
    assert len(_sweep(ACK_PENDING, now=timezone.now())) == 2
    assert _sweep(ACK_PENDING, now=timezone.now()) == []
    later = timezone.now() + datetime.timedelta(minutes=settings.REMINDER_STALE_CLAIM_MINUTES + 1)
    assert len(_sweep(ACK_PENDING, now=later)) == 2  # still pending after a while: their task was lost


def test_muting_after_a_reminder_was_created_drops_it(org, charter, settings):
    reminder = _one_due_reminder(org, charter, settings)
    NotificationPreference.objects.create(person=org["owner"], kind=ACK_PENDING, mode="muted")
    assert reminder_deliver(reminder_id=reminder.pk, token="a") == "dropped"
    assert mail.outbox == []


def test_done_work_leaves_the_unread_count_at_the_next_sweep(client, org, charter, settings):
    reminder = _one_due_reminder(org, charter, settings)
    reminder_deliver(reminder_id=reminder.pk, token="a")
    charter_acknowledge(
        acknowledgement=Acknowledgement.objects.get(person=org["owner"]),
        by=org["owner"].user,
        clarity_focus=4,
        clarity_deprioritize=4,
        clarity_success=4,
    )
    _sweep(ACK_PENDING, now=timezone.now())
    client.force_login(org["owner"].user)
    response = client.get(reverse("enablement:inbox"))
    assert response.context["inbox_unread"] == 0
    assert reminder.subject in response.content.decode()  # still listed, as read


def test_marking_a_read_reminder_again_is_harmless(client, org, charter, settings):
    reminder = _one_due_reminder(org, charter, settings)
    client.force_login(org["owner"].user)
    url = reverse("enablement:inbox-mark-read", args=[reminder.pk])
    assert client.post(url).status_code == 302
    assert client.post(url, {"next": "https://evil.example/"}).url == reverse("enablement:inbox")


def test_no_escalation_to_a_manager_who_cannot_sign_in(org, charter, settings):
    type(org["leader"].user).objects.filter(pk=org["leader"].user.pk).update(is_active=False)
    _age_requests(settings.CHARTER_ACK_ESCALATE_AFTER_DAYS)
    _sweep(ACK_ESCALATION)
    assert not Reminder.objects.filter(kind=ACK_ESCALATION).exists()


def test_admin_retry_leaves_a_delivery_in_progress_alone(org, charter, settings):
    reminder = _one_due_reminder(org, charter, settings)
    Reminder.objects.filter(pk=reminder.pk).update(status="sending", claim_token="live", claimed_at=timezone.now())
    assert reminders_retry(reminder_ids=[reminder.pk]) == 0
    assert reminder_deliver(reminder_id=reminder.pk, token="other") == "skipped"
    assert mail.outbox == []


def test_a_digest_drops_kinds_muted_after_the_reminders_were_made(org, charter, settings):
    NotificationPreference.objects.create(person=org["owner"], kind=ACK_PENDING, mode="digest")
    _age_requests(settings.CHARTER_ACK_REMIND_AFTER_DAYS)
    _sweep(ACK_PENDING)
    Reminder.objects.update(deliver_after=timezone.now())
    NotificationPreference.objects.filter(person=org["owner"]).update(mode="muted")
    assert digest_deliver(person_id=org["owner"].pk, token="d") == "nothing"
    assert mail.outbox == []


def test_muting_on_the_preferences_page_drops_what_is_pending(client, org, charter, settings):
    _one_due_reminder(org, charter, settings)
    client.force_login(org["owner"].user)
    client.post(
        reverse("enablement:notification-preferences"),
        _preferences_post("UTC", 8, {ACK_PENDING: "muted"}),
    )
    assert Reminder.objects.get().status == Reminder.Status.DROPPED


def test_a_broken_reminder_fails_at_once_instead_of_looping(org, charter, settings, monkeypatch):
    reminder = _one_due_reminder(org, charter, settings)

    def broken_template(*args, **kwargs):
        raise ValueError("template exploded")

    monkeypatch.setattr("enablement.notifications.services.render_to_string", broken_template)
    with pytest.raises(ValueError):
        reminder_deliver(reminder_id=reminder.pk, token="a")
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.FAILED and "template exploded" in reminder.last_error
    later = timezone.now() + datetime.timedelta(minutes=settings.REMINDER_STALE_CLAIM_MINUTES + 1)
    assert _sweep(ACK_PENDING, now=later) == []


def test_a_reminder_that_keeps_losing_its_worker_is_failed_after_the_attempt_limit(org, charter, settings):
    reminder = _one_due_reminder(org, charter, settings)
    long_ago = timezone.now() - datetime.timedelta(hours=2)
    Reminder.objects.filter(pk=reminder.pk).update(
        status="sending", claim_token="dead", claimed_at=long_ago, attempts=settings.REMINDER_MAX_ATTEMPTS
    )
    assert _sweep(ACK_PENDING, now=timezone.now()) == []
    assert Reminder.objects.get().status == Reminder.Status.FAILED


def test_subjects_never_carry_line_breaks(org, charter, settings):
    Role.objects.filter(pk=charter["role"].pk).update(name="Evil\nBcc: x@evil.example")
    reminder = _one_due_reminder(org, charter, settings)
    assert "\n" not in reminder.subject and "Evil Bcc:" in reminder.subject
    assert reminder_deliver(reminder_id=reminder.pk, token="a") == "sent"


def test_a_sweep_with_a_clock_ahead_still_queues_what_it_created(org, charter, settings):
    _age_requests(settings.CHARTER_ACK_REMIND_AFTER_DAYS)
    assert len(_sweep(ACK_PENDING, now=timezone.now() + datetime.timedelta(seconds=5))) == 2


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # The night before spring-forward (8 March 2026): 9:00 EDT is 13:00 UTC.
        (
            datetime.datetime(2026, 3, 7, 20, 0, tzinfo=datetime.UTC),
            datetime.datetime(2026, 3, 8, 13, 0, tzinfo=datetime.UTC),
        ),
        # The night before fall-back (1 November 2026): 9:00 EST is 14:00 UTC.
        (
            datetime.datetime(2026, 10, 31, 20, 0, tzinfo=datetime.UTC),
            datetime.datetime(2026, 11, 1, 14, 0, tzinfo=datetime.UTC),
        ),
    ],
)
def test_next_digest_time_keeps_the_local_hour_across_dst(now, expected):
    assert next_digest_time(now, "America/New_York", 9) == expected


def test_digest_tasks_send_one_email_however_often_they_run(org, charter, settings):
    NotificationPreference.objects.create(person=org["owner"], kind=ACK_PENDING, mode="digest")
    _age_requests(settings.CHARTER_ACK_REMIND_AFTER_DAYS)
    _sweep(ACK_PENDING)
    assert send_digests_task.delay().get() == 0  # not the owner's hour yet
    Reminder.objects.filter(recipient=org["owner"]).update(deliver_after=timezone.now())
    assert send_digests_task.delay().get() == 1
    assert send_digests_task.delay().get() == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [org["owner"].email]


def test_preferences_page_defaults_to_the_platform_time_zone(client, org, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    client.force_login(org["owner"].user)
    form = client.get(reverse("enablement:notification-preferences")).context["form"]
    assert form.initial["timezone"] == "Europe/Berlin"
