"""Pulse reminders through the platform's sweeps: open, closing to non-respondents, act and escalate."""

import datetime

import pytest
from django.utils import timezone

from coaching.models import Pulse
from coaching.pulse import reminders, services
from enablement.models import Reminder
from enablement.notifications.registry import get_kind
from enablement.notifications.services import reminders_sweep
from tests.coaching.pulse.conftest import add_manager, bank, run_pulse

pytestmark = pytest.mark.django_db


def sweep(kind, now=None):
    return reminders_sweep(kind=get_kind(kind), now=now or timezone.now())


def recipients(kind):
    return set(Reminder.objects.filter(kind=kind).values_list("recipient", flat=True))


def test_open_and_closing_reminders_go_to_those_asked_and_not_yet_answered_once(org):
    manager, sellers = add_manager(org["leader"], 5, name="rem")
    today = timezone.localdate()
    pulse = services.pulse_schedule(
        subject=manager, opens_on=today, closes_on=today + datetime.timedelta(days=2), questions=bank(), by=None
    )
    sweep(reminders.OPENED)
    sweep(reminders.OPENED)
    assert recipients(reminders.OPENED) == {s.pk for s in sellers}
    assert Reminder.objects.filter(kind=reminders.OPENED).count() == 5
    services.pulse_answer(pulse=pulse, person=sellers[0], answers={bank()[0].pk: 4})
    sweep(reminders.CLOSING)
    sweep(reminders.CLOSING)
    assert recipients(reminders.CLOSING) == {s.pk for s in sellers[1:]}
    assert Reminder.objects.filter(kind=reminders.CLOSING).count() == 4


def test_manager_reminded_14_days_after_release_and_leader_7_later(org):
    manager, _ = add_manager(org["leader"], 5, name="act")
    pulse = run_pulse(manager, [4] * 5)
    released = timezone.now()
    Pulse.objects.filter(pk=pulse.pk).update(released_at=released)
    sweep(reminders.ACTION_DUE, released + datetime.timedelta(days=13))
    assert not recipients(reminders.ACTION_DUE)
    sweep(reminders.ACTION_DUE, released + datetime.timedelta(days=14, minutes=1))
    assert recipients(reminders.ACTION_DUE) == {manager.pk}
    sweep(reminders.ACTION_ESCALATION, released + datetime.timedelta(days=20))
    assert not recipients(reminders.ACTION_ESCALATION)
    sweep(reminders.ACTION_ESCALATION, released + datetime.timedelta(days=21, minutes=1))
    assert recipients(reminders.ACTION_ESCALATION) == {org["leader"].pk}


def test_no_act_reminder_once_the_manager_acted(org):
    manager, _ = add_manager(org["leader"], 5, name="acted")
    pulse = run_pulse(manager, [4] * 5)
    services.feedback_action_add(pulse=pulse, you_said="a", we_will="b", owner=manager, due_on=pulse.closes_on, by=None)
    sweep(reminders.ACTION_DUE, timezone.now() + datetime.timedelta(days=30))
    assert not recipients(reminders.ACTION_DUE)


def test_pulses_advance_task_opens_and_closes(org):
    from coaching.pulse.tasks import advance_pulses_task

    today = timezone.localdate()
    pulse = services.pulse_schedule(
        subject=org["owner"],
        opens_on=today - datetime.timedelta(days=3),
        closes_on=today - datetime.timedelta(days=1),
        questions=bank(),
        by=None,
        today=today - datetime.timedelta(days=3),
    )
    advance_pulses_task()
    advance_pulses_task()
    assert Pulse.objects.get(pk=pulse.pk).state == Pulse.State.CLOSED
