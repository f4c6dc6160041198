"""Pulse reminders, registered with `enablement.notifications` (README, "Reminders"):

- `pulse.opened`: everyone asked, once, while the pulse is open;
- `pulse.closing`: PULSE_CLOSING_REMIND_DAYS (2) before it closes, everyone asked who has not answered.
  It closes (is dropped if still undelivered) only when the pulse closes, never because one person
  answered, so no reminder's state changes when someone answers;
- `pulse.action_due`: the subject of a released pulse with no action PULSE_ACT_REMIND_AFTER_DAYS (14)
  after release; `pulse.action_escalation`: their manager, PULSE_ACT_ESCALATE_AFTER_DAYS (7) later.

Each sweep is one query (plus the content type, cached). The only trace of participation these leave is
that a person had not answered two days before the close, which is what reminding them needs.
"""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coaching.models import FeedbackAction, Pulse, PulseInvitation
from enablement.models import Reminder
from enablement.notifications.registry import ReminderDraft, ReminderKind, not_yet_reminded

OPENED, CLOSING = "pulse.opened", "pulse.closing"
ACTION_DUE, ACTION_ESCALATION = "pulse.action_due", "pulse.action_escalation"
CLOSING_DAYS, ACT_AFTER_DAYS, ESCALATE_AFTER_DAYS = 2, 14, 7


def _invitations_to_remind(kind: str, invitations) -> list[PulseInvitation]:
    reminded = Reminder.objects.filter(
        kind=kind,
        target_type=ContentType.objects.get_for_model(Pulse),
        target_id=OuterRef("pulse_id"),
        recipient=OuterRef("person_id"),
    )
    return list(
        invitations.filter(pulse__state=Pulse.State.OPEN, person__user__is_active=True)
        .exclude(Exists(reminded))
        .select_related("pulse__series__subject")
        .order_by()
    )


def _to_respondent(invitation: PulseInvitation, kind: str, subject: str) -> ReminderDraft:
    pulse = invitation.pulse
    return ReminderDraft(
        target=Pulse,
        target_id=pulse.pk,
        recipient_id=invitation.person_id,
        occasion=kind.split(".")[1],
        subject=subject,
        message=_(
            "A short, confidential pulse about %(who)s is open until %(date)s: 4 to 6 questions, any of them "
            "skippable. Nobody sees who answered what."
        )
        % {"who": pulse.series.subject, "date": pulse.closes_on},
        url=reverse("coaching:pulse-answer", args=[pulse.pk]),
    )


def pulse_opened_reminders(now: datetime.datetime) -> list[ReminderDraft]:
    return [
        _to_respondent(invitation, OPENED, _("Your team pulse is open"))
        for invitation in _invitations_to_remind(OPENED, PulseInvitation.objects.all())
    ]


def pulse_closing_reminders(now: datetime.datetime) -> list[ReminderDraft]:
    last_day = timezone.localdate(now) + datetime.timedelta(days=CLOSING_DAYS)
    invitations = PulseInvitation.objects.filter(has_answered=False, pulse__closes_on__lte=last_day)
    return [
        _to_respondent(invitation, CLOSING, _("Your team pulse closes soon"))
        for invitation in _invitations_to_remind(CLOSING, invitations)
    ]


def pulses_still_open(ids: set[int]) -> set[int]:
    return set(Pulse.objects.filter(pk__in=ids, state=Pulse.State.OPEN).values_list("pk", flat=True))


def _unacted(now: datetime.datetime, days: int, kind: str):
    acted = FeedbackAction.objects.filter(pulse=OuterRef("pk"))
    released = Pulse.objects.filter(
        state=Pulse.State.CLOSED, released_at__lte=now - datetime.timedelta(days=days), respondent_count__gt=0
    ).exclude(Exists(acted))
    return not_yet_reminded(released, kind).select_related("series__subject__manager").order_by()


def action_due_reminders(now: datetime.datetime) -> list[ReminderDraft]:
    return [
        ReminderDraft(
            target=Pulse,
            target_id=pulse.pk,
            recipient_id=pulse.series.subject_id,
            occasion="act",
            subject=_("Tell your team what you will do about their pulse"),
            message=_(
                "The pulse that closed on %(date)s was released %(days)s days ago and your team has not heard "
                'back. Pick up to two focus items and write them a "you said, we will".'
            )
            % {"date": pulse.closes_on, "days": ACT_AFTER_DAYS},
            url=reverse("coaching:pulse-detail", args=[pulse.pk]),
        )
        for pulse in _unacted(now, ACT_AFTER_DAYS, ACTION_DUE).filter(series__subject__user__is_active=True)
    ]


def action_escalations(now: datetime.datetime) -> list[ReminderDraft]:
    pulses = _unacted(now, ACT_AFTER_DAYS + ESCALATE_AFTER_DAYS, ACTION_ESCALATION)
    return [
        ReminderDraft(
            target=Pulse,
            target_id=pulse.pk,
            recipient_id=pulse.series.subject.manager_id,
            occasion="escalation",
            subject=_("%(who)s has not acted on their team pulse") % {"who": pulse.series.subject},
            message=_(
                '%(who)s\'s team pulse was released %(days)s days ago without a "you said, we will". A word '
                "in your next 1:1 helps."
            )
            % {"who": pulse.series.subject, "days": ACT_AFTER_DAYS + ESCALATE_AFTER_DAYS},
            url=reverse("coaching:pulse-home"),
        )
        for pulse in pulses.filter(series__subject__manager__user__is_active=True)
    ]


def pulses_still_unacted(ids: set[int]) -> set[int]:
    acted = FeedbackAction.objects.filter(pulse=OuterRef("pk"))
    return set(Pulse.objects.filter(pk__in=ids).exclude(Exists(acted)).values_list("pk", flat=True))


PULSE_REMINDER_KINDS = (
    ReminderKind(OPENED, gettext_lazy("A team pulse is open for you"), pulse_opened_reminders, pulses_still_open),
    ReminderKind(
        CLOSING,
        gettext_lazy("A team pulse closes soon"),
        pulse_closing_reminders,
        pulses_still_open,
        sweep_every_minutes=60,
    ),
    ReminderKind(
        ACTION_DUE,
        gettext_lazy("Act on your team pulse"),
        action_due_reminders,
        pulses_still_unacted,
        sweep_every_minutes=60,
    ),
    ReminderKind(
        ACTION_ESCALATION,
        gettext_lazy("A manager below you has not acted on their pulse"),
        action_escalations,
        pulses_still_unacted,
        sweep_every_minutes=60,
    ),
)
