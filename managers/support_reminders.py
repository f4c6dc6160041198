"""The reminders support needs, registered with `enablement.notifications` from `ManagersConfig.ready()`:

- support.rating_due: a holder of a role whose published charter names support, who acknowledged it and
  has not rated that support for SUPPORT_RATING_EVERY_DAYS, is asked once a quarter to rate it again;
- support.request_raised: the owner of a request, when it is raised and again each time it is reopened;
- support.request_escalation: when the owner has not responded by the request's first-response due time,
  the owner's manager and the raiser's manager (once each, one email if they are the same person);
- support.request_confirm: the raiser of a resolved request, asked whether it fixed the problem (each
  time it is resolved).

Each sweep is one query whatever the number of rows.
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enablement.models import Reminder
from enablement.notifications.registry import ReminderDraft, ReminderKind, not_yet_reminded
from managers.models import (
    Acknowledgement,
    CharterVersion,
    RoleAssignment,
    SupportItem,
    SupportRating,
    SupportRequest,
)
from managers.services.support import CONFIRM_KIND, RAISED_KIND, support_quarter

RATING_DUE = "support.rating_due"


def quarter_label(day: datetime.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _rating_due(assignments, now: datetime.datetime):
    """Current assignments whose holder acknowledged the published charter, which names support, and who
    has rated none of it for SUPPORT_RATING_EVERY_DAYS."""
    recent = now - datetime.timedelta(days=settings.SUPPORT_RATING_EVERY_DAYS)
    published = {"version__role": OuterRef("role"), "version__status": CharterVersion.Status.PUBLISHED}
    return assignments.filter(
        Exists(SupportItem.objects.filter(**published)),
        Exists(Acknowledgement.objects.filter(person=OuterRef("person"), acknowledged_at__isnull=False, **published)),
        ended_on__isnull=True,
    ).exclude(
        Exists(SupportRating.objects.filter(person=OuterRef("person"), role=OuterRef("role"), updated_at__gte=recent))
    )


def rating_due_reminders(now: datetime.datetime) -> list[ReminderDraft]:
    occasion = quarter_label(support_quarter(now.date()))
    asked = Reminder.objects.filter(
        kind=RATING_DUE,
        target_type=ContentType.objects.get_for_model(RoleAssignment),
        target_id=OuterRef("pk"),
        occasion=occasion,
    )
    due = (
        _rating_due(RoleAssignment.objects.filter(person__user__is_active=True), now)
        .exclude(Exists(asked))
        .select_related("role")
    )
    url = reverse("managers:my-charter") + "#support"
    return [
        ReminderDraft(
            target=RoleAssignment,
            target_id=assignment.pk,
            recipient_id=assignment.person_id,
            occasion=occasion,
            subject=_("How well does your support work? %(role)s") % {"role": assignment.role.name},
            message=_(
                "Once a quarter we ask each %(role)s how well the tools, partners and resources of the charter "
                "work for them. It takes a minute, and low ratings show your leader where to help."
            )
            % {"role": assignment.role.name},
            url=url,
        )
        for assignment in due
    ]


def ratings_still_due(ids: set[int]) -> set[int]:
    return set(_rating_due(RoleAssignment.objects.filter(pk__in=ids), timezone.now()).values_list("pk", flat=True))


ESCALATION_KIND = "support.request_escalation"


def _round(prefix: str):
    """The occasion of a request's reminder for its current round: raised (round 0) and each reopening."""
    return Concat(Value(prefix), Cast("reopen_count", output_field=CharField()), output_field=CharField())


def _not_reminded_this_round(requests, kind_name: str, prefix: str):
    reminded = Reminder.objects.filter(
        kind=kind_name,
        target_type=ContentType.objects.get_for_model(SupportRequest),
        target_id=OuterRef("pk"),
        occasion=OuterRef("round"),
    )
    return requests.annotate(round=_round(prefix)).exclude(Exists(reminded))


def _detail(request: SupportRequest) -> str:
    return reverse("managers:support-detail", args=[request.pk])


def _raised_draft(request: SupportRequest) -> ReminderDraft:
    if request.reopen_count:
        subject = _("Support request reopened: %(title)s")
        message = _("%(person)s says the resolution did not fix it. Please pick it up again.")
    else:
        subject = _("Support request for you: %(title)s")
        message = _("%(person)s raised this with you. Please respond by %(due)s.")
    due = date_format(timezone.localtime(request.first_response_due_at).date())
    return ReminderDraft(
        target=SupportRequest,
        target_id=request.pk,
        recipient_id=request.owner_id,
        occasion=request.round,
        subject=subject % {"title": request.title},
        message=message % {"person": request.raised_by, "due": due},
        url=_detail(request),
    )


def raised_reminders(now: datetime.datetime) -> list[ReminderDraft]:
    waiting = SupportRequest.objects.filter(state=SupportRequest.State.OPEN, owner__user__is_active=True)
    waiting = _not_reminded_this_round(waiting, RAISED_KIND, "round-").select_related("raised_by")
    return [_raised_draft(request) for request in waiting]


def still_open(ids: set[int]) -> set[int]:
    return set(SupportRequest.objects.filter(pk__in=ids, state=SupportRequest.State.OPEN).values_list("pk", flat=True))


def _unanswered(requests):
    return requests.filter(state=SupportRequest.State.OPEN, first_response_at__isnull=True)


def _escalation_recipients(request: SupportRequest) -> list:
    """The owner's manager and the raiser's manager, each once, leaving out the two people themselves and
    anyone who cannot sign in."""
    recipients = []
    for manager in (request.owner.manager, request.raised_by.manager):
        if manager is None or manager.pk in (request.owner_id, request.raised_by_id) or manager in recipients:
            continue
        if manager.user is not None and manager.user.is_active:
            recipients.append(manager)
    return recipients


def escalations(now: datetime.datetime) -> list[ReminderDraft]:
    """Requests past their first-response due time with no response: each recipient once (the unique key
    keeps a second sweep from doubling them, and a request once escalated is not looked at again)."""
    late = _unanswered(SupportRequest.objects.filter(first_response_due_at__lte=now))
    late = not_yet_reminded(late, ESCALATION_KIND).select_related("owner__manager__user", "raised_by__manager__user")
    message = _(
        "%(raiser)s raised this with %(owner)s on %(date)s and has had no response; it was due %(due)s. "
        "A word from you helps."
    )
    return [
        ReminderDraft(
            target=SupportRequest,
            target_id=request.pk,
            recipient_id=recipient.pk,
            occasion="escalation",
            subject=_("Support request unanswered for %(days)s days: %(title)s")
            % {"days": (now - request.created_at).days, "title": request.title},
            message=message
            % {
                "raiser": request.raised_by,
                "owner": request.owner,
                "date": date_format(timezone.localtime(request.created_at).date()),
                "due": date_format(timezone.localtime(request.first_response_due_at).date()),
            },
            url=_detail(request),
        )
        for request in late
        for recipient in _escalation_recipients(request)
    ]


def still_unanswered(ids: set[int]) -> set[int]:
    return set(_unanswered(SupportRequest.objects.filter(pk__in=ids)).values_list("pk", flat=True))


def confirm_reminders(now: datetime.datetime) -> list[ReminderDraft]:
    resolved = SupportRequest.objects.filter(
        state=SupportRequest.State.RESOLVED, confirmed_fixed_at__isnull=True, raised_by__user__is_active=True
    )
    resolved = _not_reminded_this_round(resolved, CONFIRM_KIND, "resolved-").select_related("owner")
    return [
        ReminderDraft(
            target=SupportRequest,
            target_id=request.pk,
            recipient_id=request.raised_by_id,
            occasion=request.round,
            subject=_("Did this fix it? %(title)s") % {"title": request.title},
            message=_(
                "%(owner)s resolved your support request. Tell them whether it fixed the problem: a no reopens it."
            )
            % {"owner": request.owner},
            url=_detail(request),
        )
        for request in resolved
    ]


def awaiting_confirmation(ids: set[int]) -> set[int]:
    return set(
        SupportRequest.objects.filter(
            pk__in=ids, state=SupportRequest.State.RESOLVED, confirmed_fixed_at__isnull=True
        ).values_list("pk", flat=True)
    )


SUPPORT_REQUEST_REMINDER_KINDS = [
    ReminderKind(
        RAISED_KIND, gettext_lazy("A support request for you"), raised_reminders, still_open, sweep_every_minutes=5
    ),
    ReminderKind(
        ESCALATION_KIND, gettext_lazy("A support request nobody answered in time"), escalations, still_unanswered
    ),
    ReminderKind(
        CONFIRM_KIND,
        gettext_lazy("Did the fix to your support request work?"),
        confirm_reminders,
        awaiting_confirmation,
        sweep_every_minutes=5,
    ),
]

SUPPORT_RATING_REMINDER_KINDS = [
    ReminderKind(
        RATING_DUE,
        gettext_lazy("Time to rate your support"),
        rating_due_reminders,
        ratings_still_due,
        sweep_every_minutes=60,
    ),
]
