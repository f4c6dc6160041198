"""Scorecard reminders: the interviewer after SCORECARD_OVERDUE_AFTER_HOURS, the recruiter after
SCORECARD_ESCALATE_AFTER_HOURS, once each, and closed once the scorecard is submitted."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from enablement.models import Reminder
from enablement.notifications import registry
from enablement.notifications.registry import get_kind, register_kind
from enablement.notifications.services import reminders_sweep
from managers.hiring_reminders import (
    HIRING_REMINDER_KINDS,
    SCORECARD_ESCALATION,
    SCORECARD_OVERDUE,
    scorecard_escalations,
    scorecard_overdue_reminders,
    scorecards_still_open,
)
from managers.models import Interview, Scorecard
from managers.services import hiring as services
from tests.enablement.factories import PersonFactory, UserFactory
from tests.managers.factories import CandidateFactory
from tests.managers.test_hiring_services import submit

pytestmark = pytest.mark.django_db


def _interviews_ago(hours: int) -> None:
    Interview.objects.update(scheduled_at=timezone.now() - datetime.timedelta(hours=hours))


def _scorecard_ids(hiring) -> set[int]:
    return {hiring["scorecard_a"].pk, hiring["scorecard_b"].pk}


def _more_interviews(hiring, recruiter, count: int) -> None:
    """`count` more candidates, each with an overdue interview whose scorecard is a draft."""
    stage = hiring["stages"][0]
    for _ in range(count):
        application = services.application_create(
            candidate=CandidateFactory(), requisition=hiring["requisition"], by=recruiter
        )
        interviewer = PersonFactory(user=UserFactory())
        PersonFactory(manager=interviewer)  # interviewers lead people (selectors.interviewers.interviewer_pool)
        services.interview_schedule(
            application=application,
            stage=stage,
            interviewer=interviewer,
            scheduled_at=timezone.now() - datetime.timedelta(hours=50),
            by=recruiter,
        )


@pytest.fixture
def registered_kinds(monkeypatch):
    """The hiring kinds in the registry for one test, as `ManagersConfig.ready()` registers them; the
    registry is put back afterwards, so tests elsewhere see the kinds they expect."""
    monkeypatch.setattr(registry, "_kinds", dict(registry._kinds))
    for kind in HIRING_REMINDER_KINDS:
        register_kind(kind)


# Overdue: the interviewer.


def test_scorecard_overdue_reminders_go_to_each_interviewer_once_a_day_has_passed(hiring, owner, peer):
    drafts = scorecard_overdue_reminders(timezone.now())

    assert sorted((draft.target_id, draft.recipient_id) for draft in drafts) == sorted(
        [(hiring["scorecard_a"].pk, owner.pk), (hiring["scorecard_b"].pk, peer.pk)]
    )
    owners = next(draft for draft in drafts if draft.recipient_id == owner.pk)
    assert owners.target is Scorecard
    assert owners.subject == "Scorecard overdue: Casey Candidate (Hiring manager interview)"
    assert owners.url == reverse("managers:scorecard-edit", args=[hiring["scorecard_a"].pk])


def test_scorecard_overdue_reminders_wait_for_the_overdue_hours(hiring):
    _interviews_ago(3)
    assert scorecard_overdue_reminders(timezone.now()) == []


def test_scorecard_overdue_reminders_skip_submitted_scorecards_and_still_open_drops_them(hiring, owner, peer):
    coaching = hiring["competencies"]["coaching"]
    submit(hiring["scorecard_a"], owner.user, {coaching: (3, "Ran a crisp role play.")})

    assert [draft.recipient_id for draft in scorecard_overdue_reminders(timezone.now())] == [peer.pk]
    assert scorecards_still_open(_scorecard_ids(hiring)) == {hiring["scorecard_b"].pk}


def test_scorecard_reminders_stop_when_the_application_closes(hiring, recruiter):
    services.application_move(application=hiring["application"], to_stage="withdrawn", by=recruiter)

    assert scorecard_overdue_reminders(timezone.now()) == []
    assert scorecards_still_open(_scorecard_ids(hiring)) == set()


def test_scorecard_overdue_reminders_skip_interviewers_without_an_active_login(hiring, peer):
    peer.user.is_active = False
    peer.user.save(update_fields=["is_active"])

    assert {draft.target_id for draft in scorecard_overdue_reminders(timezone.now())} == {hiring["scorecard_a"].pk}


# Escalation: the recruiter.


def test_scorecard_escalations_wait_for_the_escalation_hours(hiring, recruiter):
    PersonFactory(user=recruiter)
    assert scorecard_escalations(timezone.now()) == []


def test_scorecard_escalations_tell_the_recruiter_once_per_missing_scorecard(hiring, recruiter, owner):
    recruiter_person = PersonFactory(user=recruiter)
    _interviews_ago(49)

    drafts = scorecard_escalations(timezone.now())

    assert {draft.target_id for draft in drafts} == _scorecard_ids(hiring)
    assert {draft.recipient_id for draft in drafts} == {recruiter_person.pk}
    owners = next(draft for draft in drafts if draft.target_id == hiring["scorecard_a"].pk)
    assert owners.subject == f"Scorecard missing: {owner.full_name} on Casey Candidate"
    assert owners.url == reverse("managers:application-detail", args=[hiring["application"].pk])


def test_scorecard_escalations_go_to_the_hiring_manager_when_the_recruiter_has_no_person(hiring, leader):
    _interviews_ago(49)
    drafts = scorecard_escalations(timezone.now())
    assert [draft.recipient_id for draft in drafts] == [leader.pk, leader.pk]


def test_scorecard_escalations_skip_a_recruiter_whose_login_is_deactivated(hiring, recruiter, leader):
    PersonFactory(user=recruiter)
    recruiter.is_active = False
    recruiter.save(update_fields=["is_active"])
    _interviews_ago(49)
    assert {draft.recipient_id for draft in scorecard_escalations(timezone.now())} == {leader.pk}


def test_scorecard_escalation_is_not_sent_to_the_late_interviewer_themselves(hiring, owner):
    from managers.services.hiring import requisition_update

    requisition_update(requisition=hiring["requisition"], by=None, hiring_manager=owner)
    _interviews_ago(49)
    drafts = scorecard_escalations(timezone.now())
    assert [(draft.target_id, draft.recipient_id) for draft in drafts] == [(hiring["scorecard_b"].pk, owner.pk)]


# Query counts: one query each (plus the cached content type lookup), however many scorecards.


@pytest.mark.parametrize("sweep", [scorecard_overdue_reminders, scorecard_escalations])
def test_scorecard_sweeps_run_a_fixed_number_of_queries(hiring, recruiter, sweep, django_assert_max_num_queries):
    PersonFactory(user=recruiter)
    _interviews_ago(50)
    with django_assert_max_num_queries(2):
        few = sweep(timezone.now())

    _more_interviews(hiring, recruiter, 10)
    with django_assert_max_num_queries(2):
        many = sweep(timezone.now())

    assert (len(few), len(many)) == (2, 12)


# Through the platform's sweep.


def test_reminders_sweep_creates_overdue_reminders_once_and_closes_them_on_submit(
    hiring, owner, peer, registered_kinds
):
    kind = get_kind(SCORECARD_OVERDUE)
    reminders_sweep(kind=kind)
    reminders_sweep(kind=kind)

    reminders = Reminder.objects.filter(kind=SCORECARD_OVERDUE)
    assert sorted(reminders.values_list("recipient", flat=True)) == sorted([owner.pk, peer.pk])
    assert scorecard_overdue_reminders(timezone.now()) == []  # nothing new for the next sweep to load

    coaching = hiring["competencies"]["coaching"]
    submit(hiring["scorecard_a"], owner.user, {coaching: (3, "Ran a crisp role play.")})
    reminders_sweep(kind=kind)

    assert reminders.get(recipient=owner).status == Reminder.Status.DROPPED
    assert reminders.get(recipient=peer).status == Reminder.Status.PENDING


def test_reminders_sweep_creates_escalations_once(hiring, recruiter, registered_kinds):
    recruiter_person = PersonFactory(user=recruiter)
    _interviews_ago(49)
    kind = get_kind(SCORECARD_ESCALATION)

    reminders_sweep(kind=kind)
    reminders_sweep(kind=kind)

    reminders = Reminder.objects.filter(kind=SCORECARD_ESCALATION)
    assert reminders.count() == 2
    assert set(reminders.values_list("recipient", flat=True)) == {recruiter_person.pk}
