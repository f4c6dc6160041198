"""The reminders hiring needs, registered with `enablement.notifications` from `ManagersConfig.ready()`:

- an interviewer whose scorecard is still a draft SCORECARD_OVERDUE_AFTER_HOURS after the interview gets
  a reminder, once per scorecard;
- after SCORECARD_ESCALATE_AFTER_HOURS the requisition's recruiter is told, or, when the recruiter has no
  place in the org (reminders go to people, and a recruiter may be a login without one), the hiring
  manager, unless they are the interviewer who is late.

Only active applications and recipients with an active login count. Both kinds target the Scorecard and
close once it is submitted or the application is closed. Each sweep is one query whatever the number
of rows (plus the content type lookup `not_yet_reminded` caches).
"""

import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enablement.models import Person
from enablement.notifications.registry import ReminderDraft, ReminderKind, not_yet_reminded
from managers.models import CLOSED_STAGES, Scorecard

SCORECARD_OVERDUE = "hiring.scorecard_overdue"
SCORECARD_ESCALATION = "hiring.scorecard_escalation"


def _open_scorecards() -> QuerySet[Scorecard]:
    return Scorecard.objects.filter(status=Scorecard.Status.DRAFT).exclude(
        interview__application__stage__in=CLOSED_STAGES
    )


def _overdue_scorecards(older_than: datetime.datetime, kind_name: str) -> QuerySet[Scorecard]:
    overdue = _open_scorecards().filter(interview__scheduled_at__lte=older_than)
    return (
        not_yet_reminded(overdue, kind_name)
        .select_related("interview__stage", "interview__interviewer", "interview__application__candidate")
        .order_by()
    )


def scorecard_overdue_reminders(now: datetime.datetime) -> list[ReminderDraft]:
    cutoff = now - datetime.timedelta(hours=settings.SCORECARD_OVERDUE_AFTER_HOURS)
    overdue = _overdue_scorecards(cutoff, SCORECARD_OVERDUE).filter(interview__interviewer__user__is_active=True)
    return [
        ReminderDraft(
            target=Scorecard,
            target_id=scorecard.pk,
            recipient_id=scorecard.interview.interviewer_id,
            occasion="overdue",
            subject=_("Scorecard overdue: %(candidate)s (%(interview)s)")
            % {"candidate": scorecard.interview.application.candidate, "interview": scorecard.interview.stage},
            message=_(
                "You interviewed %(candidate)s on %(date)s. Submit your scorecard while the interview is "
                "fresh: the hiring team decides from it."
            )
            % {
                "candidate": scorecard.interview.application.candidate,
                "date": timezone.localdate(scorecard.interview.scheduled_at),
            },
            url=reverse("managers:scorecard-edit", args=[scorecard.pk]),
        )
        for scorecard in overdue
    ]


def scorecard_escalations(now: datetime.datetime) -> list[ReminderDraft]:
    cutoff = now - datetime.timedelta(hours=settings.SCORECARD_ESCALATE_AFTER_HOURS)
    requisition = "interview__application__requisition"
    missing = _overdue_scorecards(cutoff, SCORECARD_ESCALATION).select_related(
        f"{requisition}__recruiter__person", f"{requisition}__hiring_manager__user"
    )
    drafts = []
    for scorecard in missing:
        recipient = _escalation_recipient(scorecard.interview.application.requisition)
        if recipient is not None and recipient.pk != scorecard.interview.interviewer_id:
            drafts.append(_escalation(scorecard, recipient))
    return drafts


def _escalation_recipient(requisition) -> Person | None:
    """The recruiter, when they have a place in the org and can sign in; otherwise the hiring manager."""
    recruiter = requisition.recruiter
    person = getattr(recruiter, "person", None) if recruiter.is_active else None
    if person is None and requisition.hiring_manager.user and requisition.hiring_manager.user.is_active:
        person = requisition.hiring_manager
    return person


def _escalation(scorecard: Scorecard, recipient: Person) -> ReminderDraft:
    return ReminderDraft(
        target=Scorecard,
        target_id=scorecard.pk,
        recipient_id=recipient.pk,
        occasion="escalation",
        subject=_("Scorecard missing: %(interviewer)s on %(candidate)s")
        % {"interviewer": scorecard.interview.interviewer, "candidate": scorecard.interview.application.candidate},
        message=_(
            "%(interviewer)s interviewed %(candidate)s for %(requisition)s (%(interview)s) on %(date)s and "
            "has not submitted a scorecard yet. A word from you helps."
        )
        % {
            "interviewer": scorecard.interview.interviewer,
            "candidate": scorecard.interview.application.candidate,
            "requisition": scorecard.interview.application.requisition,
            "interview": scorecard.interview.stage,
            "date": timezone.localdate(scorecard.interview.scheduled_at),
        },
        url=reverse("managers:application-detail", args=[scorecard.interview.application_id]),
    )


def scorecards_still_open(ids: set[int]) -> set[int]:
    """The scorecards among `ids` still worth a reminder: drafts of active applications."""
    return set(_open_scorecards().filter(pk__in=ids).values_list("pk", flat=True))


HIRING_REMINDER_KINDS = (
    ReminderKind(
        SCORECARD_OVERDUE, gettext_lazy("Scorecard overdue"), scorecard_overdue_reminders, scorecards_still_open
    ),
    ReminderKind(
        SCORECARD_ESCALATION,
        gettext_lazy("An interviewer's scorecard is missing"),
        scorecard_escalations,
        scorecards_still_open,
    ),
)
