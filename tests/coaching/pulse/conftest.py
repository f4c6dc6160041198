"""Pulse fixtures: teams of any size and pulses run end to end through the services (schedule, every
respondent answers, close), dated in the past so windows and trends have history."""

import datetime

import pytest

from coaching.models import Pulse, PulseQuestion
from coaching.pulse import services
from enablement.accounts import roles
from tests.enablement.factories import PersonFactory, UserFactory

TODAY = datetime.date(2026, 6, 30)


def add_sellers(manager, count, *, prefix=None):
    prefix = prefix or f"s{manager.pk}"
    return [
        PersonFactory(manager=manager, team=manager.team, user=UserFactory(username=f"{prefix}-{i}"))
        for i in range(count)
    ]


def add_manager(leader, sellers, *, name):
    manager = PersonFactory(
        manager=leader, team=leader.team, title="Manager", user=UserFactory(username=name, roles=[roles.SALES_MANAGER])
    )
    return manager, add_sellers(manager, sellers, prefix=name)


def bank(count=4):
    return list(PulseQuestion.objects.filter(is_active=True, scale=PulseQuestion.Scale.AGREE)[:count])


def run_pulse(
    subject, answers, *, closes_on=TODAY - datetime.timedelta(days=1), questions=None, comments=(), kind="team"
):
    """Schedules a pulse about `subject` that ran the week before `closes_on`; `answers[i]` is what the
    i-th respondent answers to every question (an int, or a list per question); closes it."""
    questions = questions or bank()
    opens_on = closes_on - datetime.timedelta(days=6)
    pulse = services.pulse_schedule(
        subject=subject, opens_on=opens_on, closes_on=closes_on, questions=questions, by=None, kind=kind, today=opens_on
    )
    invitees = list(pulse.invitations.select_related("person").order_by("pk"))
    for invitation, answer in zip(invitees, answers, strict=False):
        values = answer if isinstance(answer, list) else [answer] * len(questions)
        services.pulse_answer(
            pulse=pulse, person=invitation.person, answers={q.pk: v for q, v in zip(questions, values, strict=False)}
        )
    for invitation, text in zip(invitees[len(answers) :], comments, strict=False):
        services.pulse_answer(pulse=pulse, person=invitation.person, answers={}, comment=text)
    services.pulse_close(pulse=pulse)
    return Pulse.objects.get(pk=pulse.pk)


@pytest.fixture
def today():
    return TODAY


@pytest.fixture(autouse=True)
def pulse_question_bank(db):
    """The question bank its migration seeded, put back where a transactional test elsewhere flushed it."""
    load_question_bank()


def load_question_bank() -> None:
    """What `pulse_question_bank` does, for a module's `built` (module-scoped, so it runs before that fixture)."""
    from coaching.pulse.question_bank import question_bank_load
    from managers.models import Competency

    question_bank_load(PulseQuestion, Competency)
