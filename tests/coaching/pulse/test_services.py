"""Scheduling, the audience snapshot, answering once, closing: tests/coaching/pulse/test_confidentiality.py
has the read side."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coaching.models import (
    Pulse,
    PulseAnswer,
    PulseBallotBox,
    PulseComment,
    PulseInvitation,
    PulseQuestion,
    PulseSeries,
)
from coaching.pulse import services
from coaching.pulse.question_bank import QUESTIONS
from tests.coaching.pulse.conftest import TODAY, add_manager, add_sellers, bank, run_pulse

pytestmark = pytest.mark.django_db


def test_question_bank_is_seeded_with_levers_and_enps():
    assert PulseQuestion.objects.count() == len(QUESTIONS) >= 15
    assert set(PulseQuestion.objects.values_list("lever", flat=True)) == {"clarity", "skills", "support", "engagement"}
    assert PulseQuestion.objects.get(key="enps").max_value == 10


def test_pulse_schedule_snapshots_the_audience_when_it_opens(org):
    owner = org["owner"]
    others = add_sellers(owner, 4)
    pulse = services.pulse_schedule(
        subject=owner,
        opens_on=TODAY,
        closes_on=TODAY + datetime.timedelta(days=7),
        questions=bank(),
        by=org["leader"].user,
        today=TODAY,
    )
    assert pulse.state == Pulse.State.OPEN and pulse.invited_count == 5
    # later moves do not change who was asked
    others[0].manager = org["peer"]
    others[0].save()
    assert set(pulse.invitations.values_list("person", flat=True)) == {org["seller"].pk, *(p.pk for p in others)}


def test_pulse_schedule_in_the_future_opens_later_once(org):
    pulse = services.pulse_schedule(
        subject=org["owner"],
        opens_on=TODAY + datetime.timedelta(days=2),
        closes_on=TODAY + datetime.timedelta(days=9),
        questions=bank(),
        by=None,
        today=TODAY,
    )
    assert pulse.state == Pulse.State.SCHEDULED and not pulse.invitations.exists()
    assert services.pulses_advance(today=TODAY + datetime.timedelta(days=2)) == (1, 0)
    assert services.pulses_advance(today=TODAY + datetime.timedelta(days=2)) == (0, 0)
    assert PulseInvitation.objects.filter(pulse=pulse).count() == 1


@pytest.mark.parametrize("count", [3, 7])
def test_pulse_schedule_needs_four_to_six_questions(org, count):
    with pytest.raises(ValidationError):
        services.pulse_schedule(
            subject=org["owner"], opens_on=TODAY, closes_on=TODAY, questions=bank(count), by=None, today=TODAY
        )


def test_pulses_schedule_under_a_leader_makes_one_pulse_per_team(org):
    pulses = services.pulses_schedule_under(
        leader=org["leader"], opens_on=TODAY, closes_on=TODAY, questions=bank(), by=None, today=TODAY
    )
    assert sorted(p.series.subject.pk for p in pulses) == sorted([org["owner"].pk, org["peer"].pk])


def test_pulse_answer_once_per_person_and_only_if_asked(org):
    pulse = services.pulse_schedule(
        subject=org["owner"], opens_on=TODAY, closes_on=TODAY, questions=bank(), by=None, today=TODAY
    )
    question = bank()[0]
    services.pulse_answer(pulse=pulse, person=org["seller"], answers={question.pk: 4})
    with pytest.raises(ValidationError):
        services.pulse_answer(pulse=pulse, person=org["seller"], answers={question.pk: 5})
    with pytest.raises(ValidationError):
        services.pulse_answer(pulse=pulse, person=org["peer_seller"], answers={question.pk: 5})
    with pytest.raises(ValidationError):
        services.pulse_answer(pulse=pulse, person=org["seller"], answers={question.pk: 6})


def test_answers_exist_only_after_close_and_participation_is_gone(org):
    manager, sellers = add_manager(org["leader"], 6, name="m6")
    pulse = services.pulse_schedule(
        subject=manager, opens_on=TODAY, closes_on=TODAY, questions=bank(), by=None, today=TODAY
    )
    for seller in sellers[:5]:
        services.pulse_answer(pulse=pulse, person=seller, answers={q.pk: 4 for q in bank()}, comment="ok")
    assert not PulseAnswer.objects.exists() and not PulseComment.objects.exists()
    assert len(PulseBallotBox.objects.get(pulse=pulse).ballots) == 5
    assert services.pulse_close(pulse=pulse)
    assert not services.pulse_close(pulse=pulse)  # twice, one effect
    pulse.refresh_from_db()
    assert (pulse.invited_count, pulse.respondent_count) == (6, 5)
    assert PulseAnswer.objects.filter(pulse=pulse).count() == 20 and PulseComment.objects.count() == 5
    assert not PulseInvitation.objects.filter(pulse=pulse).exists()
    assert not PulseBallotBox.objects.filter(pulse=pulse).exists()


def test_a_respondent_keeps_one_pseudonym_per_series_and_another_in_another_series(org):
    a = services.respondent_pseudonym(series_id=1, person_id=org["seller"].pk)
    assert a == services.respondent_pseudonym(series_id=1, person_id=org["seller"].pk)
    assert a != services.respondent_pseudonym(series_id=2, person_id=org["seller"].pk)
    assert len(a) == 64 and int(a, 16)  # a digest, not an id


def test_pseudonym_depends_on_the_secret_from_settings(org, settings):
    settings.PULSE_PSEUDONYM_SECRET = "one"
    first = services.respondent_pseudonym(series_id=1, person_id=org["seller"].pk)
    settings.PULSE_PSEUDONYM_SECRET = "two"
    assert first != services.respondent_pseudonym(series_id=1, person_id=org["seller"].pk)


def test_next_pulse_checks_back_on_the_last_action(org):
    manager, _sellers = add_manager(org["leader"], 5, name="mcb")
    first = run_pulse(manager, [4] * 5, closes_on=TODAY - datetime.timedelta(days=40))
    action = services.feedback_action_add(
        pulse=first,
        you_said="Not enough call feedback",
        we_will="Weekly call reviews",
        owner=manager,
        due_on=TODAY,
        by=None,
    )
    second = run_pulse(manager, [4] * 5, closes_on=TODAY - datetime.timedelta(days=5))
    assert second.check_back == action
    assert second.items.filter(question__key="check-back").exists()
    assert PulseSeries.objects.get(subject=manager).pulses.count() == 2


def test_feedback_action_at_most_two_and_only_when_released(org):
    manager, _sellers = add_manager(org["leader"], 5, name="mfa")
    pulse = run_pulse(manager, [3] * 5)
    for n in range(2):
        services.feedback_action_add(
            pulse=pulse, you_said=f"s{n}", we_will=f"w{n}", owner=manager, due_on=TODAY, by=None
        )
    with pytest.raises(ValidationError):
        services.feedback_action_add(pulse=pulse, you_said="x", we_will="y", owner=manager, due_on=TODAY, by=None)


def test_pulse_services_ask_the_rule_of_whoever_triggers_them(org):
    # Given a released pulse about a manager below the leader
    manager, _sellers = add_manager(org["leader"], 5, name="mrule")
    pulse = run_pulse(manager, [3] * 5)
    outsider, peer = org["outsider"].user, org["peer"].user
    # Then nobody outside the manager's line schedules about them, stops their series or acts on their results
    with pytest.raises(PermissionDenied):
        services.pulse_schedule(
            subject=manager, opens_on=TODAY, closes_on=TODAY, questions=bank(), by=outsider, today=TODAY
        )
    with pytest.raises(PermissionDenied):
        services.pulses_schedule_under(
            leader=org["leader"], opens_on=TODAY, closes_on=TODAY, questions=bank(), by=peer, today=TODAY
        )
    with pytest.raises(PermissionDenied):
        services.pulse_series_stop(series=pulse.series, by=outsider)
    with pytest.raises(PermissionDenied):  # not even the leader above: the manager answers their own team
        services.feedback_action_add(
            pulse=pulse, you_said="x", we_will="y", owner=manager, due_on=TODAY, by=org["leader"].user
        )
    # While the manager acts, and their leader schedules
    action = services.feedback_action_add(
        pulse=pulse, you_said="x", we_will="y", owner=manager, due_on=TODAY, by=manager.user
    )
    with pytest.raises(PermissionDenied):
        services.feedback_action_done(action=action, by=org["leader"].user)
    services.feedback_action_done(action=action, by=manager.user)
    services.pulse_schedule(
        subject=manager, opens_on=TODAY, closes_on=TODAY, questions=bank(), by=org["leader"].user, today=TODAY
    )
