from enablement.models.notifications import NotificationPreference, NotificationSettings, Reminder
from enablement.models.org import Person, PersonDeletionRefused, PersonQuerySet, Team, TimeStampedModel, WorkerHeartbeat

__all__ = [
    "NotificationPreference",
    "NotificationSettings",
    "Person",
    "PersonDeletionRefused",
    "PersonQuerySet",
    "Reminder",
    "Team",
    "TimeStampedModel",
    "WorkerHeartbeat",
]
