"""The reminders charters need, registered with `enablement.notifications` from `ManagersConfig.ready()`:

- a holder who has not acknowledged the published charter CHARTER_ACK_REMIND_AFTER_DAYS after being
  asked gets a reminder; after CHARTER_ACK_ESCALATE_AFTER_DAYS their manager is told;
- the leader who published a charter is reminded CHARTER_REVIEW_REMIND_DAYS_BEFORE days before its
  review is due (and it stays in their inbox when overdue);
- a leader's Remind (`charter_remind`) reaches the holder, once per Remind;
- a leader's answer to a holder's question reaches the holder (once per question).

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
from managers.models import Acknowledgement, CharterVersion, Role
from managers.services.charters import ANSWERED_KIND, LEADER_REMIND_KIND

# How recent an answer must be for the sweep to announce it: older ones (before the kind existed) stay quiet.
ANSWER_NOTIFY_WITHIN = datetime.timedelta(days=7)
ACK_PENDING = "charter.acknowledgement_pending"
ACK_ESCALATION = "charter.acknowledgement_escalation"
REVIEW_DUE = "charter.review_due"


def _day(moment: datetime.datetime) -> str:
    """A moment's local date in the locale's format (never ISO in a message)."""
    return date_format(timezone.localtime(moment).date())


def _pending_acknowledgements(older_than: datetime.datetime, kind_name: str):
    pending = Acknowledgement.objects.filter(
        acknowledged_at__isnull=True,
        requested_at__lte=older_than,
        version__status=CharterVersion.Status.PUBLISHED,
        person__user__is_active=True,
    )
    return not_yet_reminded(pending, kind_name).select_related("person", "version__role").order_by()


def acknowledgement_reminders(now: datetime.datetime) -> list[ReminderDraft]:
    cutoff = now - datetime.timedelta(days=settings.CHARTER_ACK_REMIND_AFTER_DAYS)
    url = reverse("managers:my-charter") + "#acknowledge"
    return [
        ReminderDraft(
            target=Acknowledgement,
            target_id=acknowledgement.pk,
            recipient_id=acknowledgement.person_id,
            occasion=f"v{acknowledgement.version.number}",
            subject=_("Please acknowledge your charter: %(role)s v%(number)s")
            % {"role": acknowledgement.version.role.name, "number": acknowledgement.version.number},
            message=_("Your role charter was updated on %(date)s. Read what changed and tell us how clear it is.")
            % {"date": _day(acknowledgement.requested_at)},
            url=url,
        )
        for acknowledgement in _pending_acknowledgements(cutoff, ACK_PENDING)
    ]


def acknowledgement_escalations(now: datetime.datetime) -> list[ReminderDraft]:
    cutoff = now - datetime.timedelta(days=settings.CHARTER_ACK_ESCALATE_AFTER_DAYS)
    pending = _pending_acknowledgements(cutoff, ACK_ESCALATION).filter(
        person__manager__isnull=False, person__manager__user__is_active=True
    )
    return [
        ReminderDraft(
            target=Acknowledgement,
            target_id=acknowledgement.pk,
            recipient_id=acknowledgement.person.manager_id,
            occasion="escalation",
            subject=_("%(person)s has not acknowledged their charter yet") % {"person": acknowledgement.person},
            message=_("%(person)s was asked on %(date)s to acknowledge %(role)s v%(number)s. A word from you helps.")
            % {
                "person": acknowledgement.person,
                "date": _day(acknowledgement.requested_at),
                "role": acknowledgement.version.role.name,
                "number": acknowledgement.version.number,
            },
            url=reverse("managers:version-detail", args=[acknowledgement.version_id]),
        )
        for acknowledgement in pending
    ]


def acknowledgements_still_pending(ids: set[int]) -> set[int]:
    return set(
        Acknowledgement.objects.filter(
            pk__in=ids, acknowledged_at__isnull=True, version__status=CharterVersion.Status.PUBLISHED
        ).values_list("pk", flat=True)
    )


def review_reminders(now: datetime.datetime) -> list[ReminderDraft]:
    horizon = now.date() + datetime.timedelta(days=settings.CHARTER_REVIEW_REMIND_DAYS_BEFORE)
    published = CharterVersion.objects.filter(
        status=CharterVersion.Status.PUBLISHED,
        role__next_review_on__lte=horizon,
        published_by__person__isnull=False,
        published_by__is_active=True,
    ).select_related("role", "published_by__person")
    return [
        ReminderDraft(
            target=Role,
            target_id=version.role_id,
            recipient_id=version.published_by.person.pk,
            occasion=f"review:{version.role.next_review_on}",
            subject=_("Charter review due %(date)s: %(role)s")
            % {"date": date_format(version.role.next_review_on), "role": version.role.name},
            message=_(
                "Check that the charter still says what to focus on, what to stop and what success looks "
                "like, then mark it reviewed or start a new version."
            ),
            url=reverse("managers:role-detail", args=[version.role_id]),
        )
        for version in published
    ]


def reviews_still_due(ids: set[int]) -> set[int]:
    horizon = timezone.localdate() + datetime.timedelta(days=settings.CHARTER_REVIEW_REMIND_DAYS_BEFORE)
    return set(Role.objects.filter(pk__in=ids, next_review_on__lte=horizon).values_list("pk", flat=True))


def leader_reminders(now: datetime.datetime) -> list[ReminderDraft]:
    """One reminder per leader's Remind (the occasion counts them) for holders who still have not
    acknowledged: one query."""
    reminded = Reminder.objects.filter(
        kind=LEADER_REMIND_KIND,
        target_type=ContentType.objects.get_for_model(Acknowledgement),
        target_id=OuterRef("pk"),
        occasion=OuterRef("occasion"),
    )
    pending = (
        Acknowledgement.objects.filter(
            acknowledged_at__isnull=True,
            remind_count__gt=0,
            version__status=CharterVersion.Status.PUBLISHED,
            person__user__is_active=True,
        )
        .annotate(occasion=Concat(Value("leader-"), Cast("remind_count", output_field=CharField())))
        .exclude(Exists(reminded))
        .select_related("version__role", "reminded_by__person")
        .order_by()
    )
    return [
        ReminderDraft(
            target=Acknowledgement,
            target_id=acknowledgement.pk,
            recipient_id=acknowledgement.person_id,
            occasion=acknowledgement.occasion,
            subject=_("%(leader)s asks you to acknowledge your charter: %(role)s v%(number)s")
            % {
                "leader": _leader(acknowledgement.reminded_by),
                "role": acknowledgement.version.role.name,
                "number": acknowledgement.version.number,
            },
            message=_(
                "You were asked on %(date)s to read your role charter and rate how clear it is. It takes "
                "two minutes; the form is at the bottom of My charter."
            )
            % {"date": _day(acknowledgement.requested_at)},
            url=reverse("managers:my-charter") + "#acknowledge",
        )
        for acknowledgement in pending
    ]


def _leader(user) -> str:
    """The leader by the name people know them by in the org (their login's name otherwise)."""
    if user is None:
        return _("Your sales leader")
    person = getattr(user, "person", None)
    return person.full_name if person else user.get_full_name() or user.get_username()


def answer_notifications(now: datetime.datetime) -> list[ReminderDraft]:
    """The holder hears of a leader's answer to their question (answered in the last week): one query."""
    answered = Acknowledgement.objects.filter(
        answered_at__gte=now - ANSWER_NOTIFY_WITHIN, person__user__is_active=True
    ).exclude(answer="")
    answered = (
        not_yet_reminded(answered, ANSWERED_KIND).select_related("version__role", "answered_by__person").order_by()
    )
    return [
        ReminderDraft(
            target=Acknowledgement,
            target_id=acknowledgement.pk,
            recipient_id=acknowledgement.person_id,
            occasion="answered",
            subject=_("%(leader)s answered your question about %(role)s")
            % {"leader": _leader(acknowledgement.answered_by), "role": acknowledgement.version.role.name},
            message=_("You asked: “%(question)s” Answer: %(answer)s")
            % {"question": acknowledgement.question[:300], "answer": acknowledgement.answer[:1000]},
            url=reverse("managers:my-charter") + "#my-questions",
        )
        for acknowledgement in answered
    ]


def answers_still_there(ids: set[int]) -> set[int]:
    return set(Acknowledgement.objects.filter(pk__in=ids).exclude(answer="").values_list("pk", flat=True))


CHARTER_REMINDER_KINDS = [
    ReminderKind(
        ACK_PENDING,
        gettext_lazy("Charter waiting for your acknowledgement"),
        acknowledgement_reminders,
        acknowledgements_still_pending,
    ),
    ReminderKind(
        ACK_ESCALATION,
        gettext_lazy("A team member has not acknowledged their charter"),
        acknowledgement_escalations,
        acknowledgements_still_pending,
    ),
    ReminderKind(
        REVIEW_DUE, gettext_lazy("Charter due for review"), review_reminders, reviews_still_due, sweep_every_minutes=60
    ),
    ReminderKind(
        LEADER_REMIND_KIND,
        gettext_lazy("Your leader asks you to acknowledge your charter"),
        leader_reminders,
        acknowledgements_still_pending,
    ),
    ReminderKind(
        ANSWERED_KIND,
        gettext_lazy("Answer to a question you asked about your charter"),
        answer_notifications,
        answers_still_there,
    ),
]
