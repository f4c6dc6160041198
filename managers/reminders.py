"""The reminders charters need, registered with `enablement.notifications` from `ManagersConfig.ready()`:

- a holder who has not acknowledged the published charter CHARTER_ACK_REMIND_AFTER_DAYS after being
  asked gets a reminder; after CHARTER_ACK_ESCALATE_AFTER_DAYS their manager is told;
- the leader who published a charter is reminded CHARTER_REVIEW_REMIND_DAYS_BEFORE days before its
  review is due (and it stays in their inbox when overdue).

Each sweep is one query whatever the number of rows.
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enablement.notifications.registry import ReminderDraft, ReminderKind, not_yet_reminded
from managers.models import Acknowledgement, CharterVersion, Role

ACK_PENDING = "charter.acknowledgement_pending"
ACK_ESCALATION = "charter.acknowledgement_escalation"
REVIEW_DUE = "charter.review_due"


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
    url = reverse("managers:my-charter")
    return [
        ReminderDraft(
            target=Acknowledgement,
            target_id=acknowledgement.pk,
            recipient_id=acknowledgement.person_id,
            occasion=f"v{acknowledgement.version.number}",
            subject=_("Please acknowledge your charter: %(role)s v%(number)s")
            % {"role": acknowledgement.version.role.name, "number": acknowledgement.version.number},
            message=_("Your role charter was updated on %(date)s. Read what changed and tell us how clear it is.")
            % {"date": acknowledgement.requested_at.date()},
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
                "date": acknowledgement.requested_at.date(),
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
            % {"date": version.role.next_review_on, "role": version.role.name},
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
]
