"""The reminders support needs, registered with `enablement.notifications` from `ManagersConfig.ready()`:

- support.rating_due: a holder of a role whose published charter names support, who acknowledged it and
  has not rated that support for SUPPORT_RATING_EVERY_DAYS, is asked once a quarter to rate it again.

Each sweep is one query whatever the number of rows.
"""

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enablement.models import Reminder
from enablement.notifications.registry import ReminderDraft, ReminderKind
from managers.models import Acknowledgement, CharterVersion, RoleAssignment, SupportItem, SupportRating
from managers.services.support import support_quarter

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


SUPPORT_RATING_REMINDER_KINDS = [
    ReminderKind(RATING_DUE, gettext_lazy("Time to rate your support"), rating_due_reminders, ratings_still_due,
                 sweep_every_minutes=60),
]  # fmt: skip
