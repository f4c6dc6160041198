from django.conf import settings
from django.db.models import QuerySet

from enablement.models import NotificationPreference, NotificationSettings, Person, Reminder


def inbox_for(person: Person) -> QuerySet[Reminder]:
    """What the person's inbox shows: their reminders, except those dropped because the work was done."""
    return Reminder.objects.filter(recipient=person).exclude(status=Reminder.Status.DROPPED)


def preferences_of(person: Person) -> tuple[NotificationSettings, dict[str, str]]:
    settings_row = NotificationSettings.objects.filter(person=person).first() or NotificationSettings(
        person=person, timezone=settings.TIME_ZONE, digest_hour=settings.REMINDER_DEFAULT_DIGEST_HOUR
    )
    modes = dict(NotificationPreference.objects.filter(person=person).values_list("kind", "mode"))
    return settings_row, modes
