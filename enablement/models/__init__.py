from enablement.models import lookups  # noqa: F401 (registers `__any`)
from enablement.models.api_clients import ApiClient, ApiRequestLog
from enablement.models.idempotency import IdempotencyRecord
from enablement.models.notifications import NotificationPreference, NotificationSettings, Reminder
from enablement.models.org import Person, PersonDeletionRefused, PersonQuerySet, Team, TimeStampedModel, WorkerHeartbeat

__all__ = [
    "ApiClient",
    "ApiRequestLog",
    "IdempotencyRecord",
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
