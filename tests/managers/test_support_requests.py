"""Support requests through their services and reminders: raising (owner from a function or a person, due in
working days), the owner's moves, "did this fix it?" with a no reopening it, comments, webhooks, and the
reminders: the owner when raised and reopened, the owner's manager and the raiser's leader once each when
nobody responded in time, the raiser when resolved."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from enablement.models import Reminder
from enablement.notifications import registry
from enablement.notifications.registry import get_kind, register_kind
from enablement.notifications.services import reminders_sweep
from enablement.notifications.tasks import sweep_reminders_task
from enablement.org.services import person_update
from enablement.webhooks.models import WebhookEvent
from enablement.webhooks.services import endpoint_create
from managers.models import SupportRequest, SupportRequestEntry
from managers.services.support import (
    add_working_days,
    support_request_comment,
    support_request_confirm,
    support_request_raise,
    support_request_transition,
)
from managers.support_reminders import (
    ESCALATION_KIND,
    SUPPORT_REQUEST_REMINDER_KINDS,
    escalations,
    raised_reminders,
)
from tests.managers.support_helpers import raise_request

pytestmark = pytest.mark.django_db

State = SupportRequest.State


@pytest.fixture
def kinds(monkeypatch):
    monkeypatch.setattr(registry, "_kinds", dict(registry._kinds))
    for kind in SUPPORT_REQUEST_REMINDER_KINDS:
        register_kind(kind)


@pytest.fixture
def hook(db):
    return endpoint_create(url="http://127.0.0.1:9/hook", by=None)


def _events(event_type: str) -> list[dict]:
    return [event.payload for event in WebhookEvent.objects.filter(event_type=event_type).order_by("created_at")]


# Working days.


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (
            datetime.datetime(2026, 6, 5, 10, tzinfo=datetime.UTC),
            datetime.datetime(2026, 6, 12, 10, tzinfo=datetime.UTC),
        ),  # Fri -> Fri
        (
            datetime.datetime(2026, 6, 8, 9, tzinfo=datetime.UTC),
            datetime.datetime(2026, 6, 15, 9, tzinfo=datetime.UTC),
        ),  # Mon -> Mon
        (
            datetime.datetime(2026, 6, 6, 12, tzinfo=datetime.UTC),
            datetime.datetime(2026, 6, 12, 12, tzinfo=datetime.UTC),
        ),  # Sat -> Fri
    ],
)
def test_add_working_days_skips_weekends(start, due):
    assert add_working_days(start, 5) == due


# Raising.


def test_raise_to_a_function_goes_to_its_owner_due_in_working_days(org, charter, outside, hook, settings):
    item = charter["version"].support_items.get()
    before = timezone.now()

    request = support_request_raise(
        by=org["owner"].user,
        title=" CPQ approvals take five days ",
        kind="tool",
        description="Deals wait.",
        function=outside["function"],
        support_item=item,
    )

    assert (request.owner, request.function, request.state, request.title) == (
        outside["revops"],
        outside["function"],
        State.OPEN,
        "CPQ approvals take five days",
    )
    expected = add_working_days(request.created_at, settings.SUPPORT_REQUEST_FIRST_RESPONSE_WORKING_DAYS)
    assert abs(request.first_response_due_at - expected) < datetime.timedelta(seconds=5)
    assert request.first_response_due_at - before >= datetime.timedelta(days=5)
    assert list(request.entries.values_list("event", flat=True)) == ["raised"]
    [payload] = _events("support_request.opened")
    assert payload["owner"] == {"id": outside["revops"].pk, "external_id": outside["revops"].external_id}
    assert payload["function"] == {"id": outside["function"].pk, "name": "Revenue Operations"}
    assert payload["support_item"] == {"id": item.pk, "name": item.name} and payload["reopen_count"] == 0
    assert "CPQ" not in str(payload) and "Deals wait" not in str(payload)


@pytest.mark.parametrize(
    ("case", "field"),
    [
        ("neither", "owner"),
        ("both", "owner"),
        ("self", "owner"),
        ("left", "owner"),
        ("no login", "owner"),
        ("foreign item", "support_item"),
        ("no title", "title"),
    ],
)
def test_raise_refuses_and_writes_nothing(org, charter, outside, case, field):
    from tests.enablement.factories import PersonFactory
    from tests.managers.factories import SupportItemFactory

    kwargs = {"by": org["owner"].user, "title": "Slow CRM", "kind": "tool", "owner": outside["revops"]}
    if case == "neither":
        kwargs["owner"] = None
    elif case == "both":
        kwargs["function"] = outside["function"]
    elif case == "self":
        kwargs["owner"] = org["owner"]
    elif case == "left":
        person_update(person=outside["revops"], data={"employment_status": "terminated"})
        outside["revops"].refresh_from_db()
    elif case == "no login":
        kwargs["owner"] = PersonFactory()
    elif case == "foreign item":
        kwargs["support_item"] = SupportItemFactory(version=charter["other_draft"])
    else:
        kwargs["title"] = "  "

    with pytest.raises(ValidationError) as refused:
        support_request_raise(**kwargs)

    assert field in refused.value.message_dict
    assert not SupportRequest.objects.exists()


def test_raise_refuses_an_account_with_no_place_in_the_org(recruiter, outside):
    with pytest.raises(PermissionDenied, match="raised by managers and leaders"):
        support_request_raise(by=recruiter, title="x", kind="tool", owner=outside["revops"])
    assert not SupportRequest.objects.exists()


# The owner's moves and the raiser's answer.


def test_only_the_owner_moves_it_on_and_the_first_move_is_the_first_response(org, outside):
    request = raise_request(org["owner"], function=outside["function"])
    for intruder in (org["owner"], org["leader"], outside["revops_lead"]):
        with pytest.raises(PermissionDenied, match="Only the owner"):
            support_request_transition(request=request, by=intruder.user, state=State.ACKNOWLEDGED)

    acknowledged = support_request_transition(request=request, by=outside["revops"].user, state=State.ACKNOWLEDGED)
    first = acknowledged.first_response_at
    working = support_request_transition(request=request, by=outside["revops"].user, state=State.IN_PROGRESS)

    assert first is not None and working.first_response_at == first and working.state == State.IN_PROGRESS
    with pytest.raises(ValidationError, match="in progress cannot become acknowledged"):
        support_request_transition(request=request, by=outside["revops"].user, state=State.ACKNOWLEDGED)
    with pytest.raises(ValidationError, match="cannot become not-a-state"):
        support_request_transition(request=request, by=outside["revops"].user, state="not-a-state")


def test_declining_needs_a_reason(org, outside):
    request = raise_request(org["owner"], function=outside["function"])
    with pytest.raises(ValidationError) as refused:
        support_request_transition(request=request, by=outside["revops"].user, state=State.DECLINED, note=" ")
    assert "note" in refused.value.message_dict

    declined = support_request_transition(
        request=request, by=outside["revops"].user, state=State.DECLINED, note="CPQ is being replaced in Q3."
    )

    assert declined.is_closed and declined.resolution == "CPQ is being replaced in Q3."


def test_resolved_then_not_fixed_reopens_then_fixed_closes(org, outside, hook):
    request = raise_request(org["owner"], function=outside["function"])
    revops, owner = outside["revops"].user, org["owner"].user
    support_request_transition(request=request, by=revops, state=State.RESOLVED, note="Approval rule removed.")
    with pytest.raises(PermissionDenied, match="Only the person who raised"):
        support_request_confirm(request=request, by=revops, fixed=True)

    reopened = support_request_confirm(request=request, by=owner, fixed=False, note="Still two days.")

    assert (reopened.state, reopened.reopen_count, reopened.resolved_at) == (State.OPEN, 1, None)
    assert [payload["reopen_count"] for payload in _events("support_request.opened")] == [0, 1]
    support_request_transition(request=request, by=revops, state=State.RESOLVED, note="Auto-approve under 10%.")
    closed = support_request_confirm(request=request, by=owner, fixed=True)
    assert closed.is_closed and closed.state == State.RESOLVED
    assert [payload["state"] for payload in _events("support_request.resolved")] == ["resolved", "resolved"]
    assert list(closed.entries.values_list("event", flat=True)) == [
        "raised",
        "resolved",
        "not_fixed",
        "resolved",
        "fixed",
    ]
    with pytest.raises(ValidationError, match="Only a resolved request waiting"):
        support_request_confirm(request=request, by=owner, fixed=False)


def test_the_owners_first_comment_is_the_first_response(org, outside):
    request = raise_request(org["owner"], function=outside["function"])
    support_request_comment(request=request, by=org["leader"].user, body="Seen this across the team too.")
    request.refresh_from_db()
    assert request.first_response_at is None

    support_request_comment(request=request, by=outside["revops"].user, body="Looking at it this week.")

    request.refresh_from_db()
    assert request.first_response_at is not None and request.state == State.OPEN
    assert request.entries.filter(event=SupportRequestEntry.Event.COMMENT).count() == 2
    with pytest.raises(ValidationError):
        support_request_comment(request=request, by=org["owner"].user, body="  ")


# Reminders.


def test_the_owner_is_reminded_when_raised_and_again_when_reopened(org, outside, kinds, mailoutbox):
    request = raise_request(org["owner"], function=outside["function"])
    for _ in range(2):
        sweep_reminders_task("support.request_raised")
    assert [(r.recipient, r.occasion) for r in Reminder.objects.filter(kind="support.request_raised")] == [
        (outside["revops"], "round-0")
    ]
    assert len(mailoutbox) == 1 and "Support request for you: CPQ approvals" in mailoutbox[0].subject

    support_request_transition(request=request, by=outside["revops"].user, state=State.RESOLVED)
    support_request_confirm(request=request, by=org["owner"].user, fixed=False)
    sweep_reminders_task("support.request_raised")
    sweep_reminders_task("support.request_raised")

    assert sorted(Reminder.objects.filter(kind="support.request_raised").values_list("occasion", flat=True)) == [
        "round-0",
        "round-1",
    ]
    assert mailoutbox[-1].subject.startswith("Support request reopened")


def test_escalation_tells_the_owners_manager_and_the_raisers_leader_exactly_once(org, outside, kinds, mailoutbox):
    # Given a request raised 9 days ago (past its 5 working days) that nobody answered.
    request = raise_request(org["owner"], function=outside["function"], days_ago=9)

    # When the escalation sweep runs twice (two beats, or two overlapping sweeps).
    sent = [sweep_reminders_task(ESCALATION_KIND) for _ in range(2)]

    # Then the owner's manager and the raiser's leader got one email each, and the second sweep sent nothing.
    reminders = Reminder.objects.filter(kind=ESCALATION_KIND, target_id=request.pk)
    assert sorted(reminder.recipient.pk for reminder in reminders) == sorted(
        [outside["revops_lead"].pk, org["leader"].pk]
    )
    assert sent == [2, 0] and len(mailoutbox) == 2
    assert {message.to[0] for message in mailoutbox} == {outside["revops_lead"].email, org["leader"].email}
    assert all("unanswered for 9 days" in message.subject for message in mailoutbox)
    assert escalations(timezone.now()) == []


def test_no_escalation_before_the_due_time_or_after_a_response(org, outside):
    raise_request(org["owner"], function=outside["function"], days_ago=2)
    answered = raise_request(org["peer"], function=outside["function"], days_ago=12)
    support_request_comment(request=answered, by=outside["revops"].user, body="On it.")
    assert escalations(timezone.now()) == []


def test_escalation_to_one_person_who_is_both_managers_is_one_reminder(org, outside):
    person_update(person=outside["revops"], data={"manager": org["leader"]})
    raise_request(org["owner"], function=outside["function"], days_ago=9)
    assert [draft.recipient_id for draft in escalations(timezone.now())] == [org["leader"].pk]


def test_the_raiser_is_asked_whether_it_fixed_it_until_they_answer(org, outside, kinds):
    request = raise_request(org["owner"], function=outside["function"])
    support_request_transition(request=request, by=outside["revops"].user, state=State.RESOLVED)
    kind = get_kind("support.request_confirm")
    reminders_sweep(kind=kind)
    reminders_sweep(kind=kind)
    [reminder] = Reminder.objects.filter(kind="support.request_confirm")
    assert (reminder.recipient, reminder.occasion) == (org["owner"], "resolved-0")

    support_request_confirm(request=request, by=org["owner"].user, fixed=True)
    reminders_sweep(kind=kind)

    reminder.refresh_from_db()
    assert reminder.status in ("dropped", "sent") and (reminder.status == "dropped" or reminder.read_at)


def test_raised_reminders_leave_out_requests_already_answered(org, outside):
    request = raise_request(org["owner"], function=outside["function"])
    support_request_transition(request=request, by=outside["revops"].user, state=State.ACKNOWLEDGED)
    assert raised_reminders(timezone.now()) == []
