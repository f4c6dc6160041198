"""Who has acknowledged a charter, the leader's Remind, and the answer notification (issue 16, items 7-8):
pages signed in as the leader, the holder and the wrong users; the reminders go through the sweeps."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from enablement.models import NotificationPreference, Reminder
from enablement.notifications.tasks import sweep_reminders_task
from managers.models import Acknowledgement, CharterEvent
from managers.services.charters import ANSWERED_KIND, LEADER_REMIND_KIND, charter_acknowledge
from tests.enablement.factories import PersonFactory, UserFactory
from tests.helpers import login_as

pytestmark = pytest.mark.django_db


def _acknowledge(org, charter, person_key="owner", question=""):
    acknowledgement = Acknowledgement.objects.get(person=org[person_key], version=charter["version"])
    return charter_acknowledge(
        acknowledgement=acknowledgement,
        by=org[person_key].user,
        clarity_focus=4,
        clarity_deprioritize=2,
        clarity_success=5,
        question=question,
    )


def _remind_url(acknowledgement) -> str:
    return reverse("managers:acknowledgement-remind", args=[acknowledgement.pk])


def test_role_page_shows_each_holders_status_ratings_and_a_remind_for_the_pending(client, org, charter):
    _acknowledge(org, charter)
    pending = Acknowledgement.objects.get(person=org["peer"], version=charter["version"])

    response = login_as(client, org["leader"]).get(reverse("managers:role-detail", args=[charter["role"].pk]))

    statuses = {status.person: status for status in response.context["holders"]}
    assert not statuses[org["owner"]].acknowledgement.is_pending
    assert statuses[org["peer"]].acknowledgement.is_pending and statuses[org["peer"]].remind_error is None
    assert [status.person for status in response.context["holders"]][0] == org["peer"]  # pending first
    body = response.content.decode()
    assert "Acknowledged " in body and "clarity 4 / 2 / 5" in body and "Pending since " in body
    assert body.count('action="' + _remind_url(pending) + '"') == 1
    assert "/remind/" not in body.replace(_remind_url(pending), "")  # no Remind for who acknowledged


def test_remind_sends_one_reminder_and_a_second_click_says_it_was_sent(
    client, org, charter, django_capture_on_commit_callbacks
):
    pending = Acknowledgement.objects.get(person=org["peer"], version=charter["version"])
    leader = login_as(client, org["leader"])

    with django_capture_on_commit_callbacks(execute=True):
        response = leader.post(_remind_url(pending), follow=True)
    assert response.redirect_chain[-1][0].endswith("#holders")
    assert f"{org['peer']} will be reminded: in their inbox" in response.content.decode()
    reminder = Reminder.objects.get(kind=LEADER_REMIND_KIND, recipient=org["peer"])
    assert reminder.status == Reminder.Status.SENT and reminder.url.endswith("#acknowledge")
    assert org["leader"].full_name in reminder.subject
    assert [message.to for message in mail.outbox] == [[org["peer"].email]]

    with django_capture_on_commit_callbacks(execute=True):
        again = leader.post(_remind_url(pending), follow=True)
    assert "was already reminded on" in again.content.decode()
    sweep_reminders_task(LEADER_REMIND_KIND)
    assert Reminder.objects.filter(kind=LEADER_REMIND_KIND).count() == 1 and len(mail.outbox) == 1
    assert CharterEvent.objects.filter(action=CharterEvent.Action.REMINDED).count() == 1
    page = leader.get(reverse("managers:role-detail", args=[charter["role"].pk])).content.decode()
    assert "you can remind them again from" in page


def test_a_remind_after_the_window_is_a_new_reminder(
    client, org, charter, settings, django_capture_on_commit_callbacks
):
    pending = Acknowledgement.objects.get(person=org["peer"], version=charter["version"])
    leader = login_as(client, org["leader"])
    with django_capture_on_commit_callbacks(execute=True):
        leader.post(_remind_url(pending))
    Acknowledgement.objects.filter(pk=pending.pk).update(
        reminded_at=timezone.now() - datetime.timedelta(days=settings.CHARTER_ACK_LEADER_REMIND_EVERY_DAYS, hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        leader.post(_remind_url(pending))
    assert list(
        Reminder.objects.filter(kind=LEADER_REMIND_KIND).values_list("occasion", flat=True).order_by("occasion")
    ) == [
        "leader-1",
        "leader-2",
    ]


def test_remind_is_refused_to_the_wrong_users(client, org, charter):
    pending = Acknowledgement.objects.get(person=org["peer"], version=charter["version"])
    assert client.post(_remind_url(pending)).status_code == 302  # anonymous: to sign in
    assert login_as(client, org["owner"]).post(_remind_url(pending)).status_code == 403  # a manager
    other_leader = PersonFactory(user=UserFactory(roles=["Sales leader"]))
    assert login_as(client, other_leader).post(_remind_url(pending)).status_code == 404  # not their tree
    assert login_as(client, org["leader"]).get(_remind_url(pending)).status_code == 405
    pending.refresh_from_db()
    assert pending.remind_count == 0 and not Reminder.objects.filter(kind=LEADER_REMIND_KIND).exists()


def test_remind_is_refused_once_acknowledged(client, org, charter):
    acknowledgement = _acknowledge(org, charter)
    response = login_as(client, org["leader"]).post(_remind_url(acknowledgement), follow=True)
    assert "already acknowledged this version" in response.content.decode()
    acknowledgement.refresh_from_db()
    assert acknowledgement.remind_count == 0


def test_an_answer_notifies_the_asker_once(client, org, charter, django_capture_on_commit_callbacks):
    acknowledgement = _acknowledge(org, charter, question="Who owns forecasting?")
    leader = login_as(client, org["leader"])
    url = reverse("managers:acknowledgement-answer", args=[acknowledgement.pk])

    with django_capture_on_commit_callbacks(execute=True):
        leader.post(url, {"answer": "RevOps does."})
    with django_capture_on_commit_callbacks(execute=True):
        leader.post(url, {"answer": "RevOps does, with you."})

    reminder = Reminder.objects.get(kind=ANSWERED_KIND)
    assert reminder.recipient == org["owner"] and reminder.status == Reminder.Status.SENT
    assert "RevOps does." in reminder.message and reminder.url.endswith("#my-questions")
    inbox = login_as(client, org["owner"]).get(reverse("enablement:inbox")).content.decode()
    assert "answered your question" in inbox


def test_an_answer_honours_a_muted_preference(client, org, charter, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(
        person=org["owner"], kind=ANSWERED_KIND, mode=NotificationPreference.Mode.MUTED
    )
    acknowledgement = _acknowledge(org, charter, question="Who owns forecasting?")
    with django_capture_on_commit_callbacks(execute=True):
        login_as(client, org["leader"]).post(
            reverse("managers:acknowledgement-answer", args=[acknowledgement.pk]), {"answer": "RevOps does."}
        )
    assert not Reminder.objects.filter(kind=ANSWERED_KIND).exists() and not mail.outbox


def test_role_page_queries_do_not_grow_with_holders(client, org, charter, django_assert_max_num_queries):
    from managers.services.charters import role_assign

    leader = login_as(client, org["leader"])
    url = reverse("managers:role-detail", args=[charter["role"].pk])
    leader.get(url)
    with django_assert_max_num_queries(40) as few:
        leader.get(url)
    for _ in range(8):
        person = PersonFactory(manager=org["leader"], user=UserFactory())
        role_assign(person=person, role=charter["role"], on=datetime.date(2026, 2, 1), by=None)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = leader.get(url)
    assert len(response.context["holders"]) == 10
