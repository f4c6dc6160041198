"""Reminders: one row per (kind, object, recipient, occasion), created by beat sweeps and delivered by
workers. The row, not the broker, is the source of truth: a lost task is found again by the next sweep."""

import zoneinfo

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from enablement.models.org import Person, TimeStampedModel


def validate_timezone(name: str) -> None:
    if name not in zoneinfo.available_timezones():
        raise ValidationError(_("%(name)s is not a time zone."), params={"name": name})


class Reminder(TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        DROPPED = "dropped", _("Dropped (done before delivery)")
        FAILED = "failed", _("Failed")

    kind = models.CharField(max_length=80, db_index=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    recipient = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="reminders")
    occasion = models.CharField(max_length=80, help_text=_("Which time this is: e.g. the due date, or 'escalation'."))
    subject = models.CharField(max_length=200)
    message = models.TextField()
    url = models.CharField(max_length=500, help_text=_("Where the recipient goes to act, as a path."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    digest = models.BooleanField(default=False, help_text=_("Sent in the recipient's daily digest."))
    deliver_after = models.DateTimeField(db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "target_type", "target_id", "recipient", "occasion"], name="one_reminder_per_occasion"
            )
        ]
        indexes = [models.Index(fields=["status", "digest", "deliver_after"], name="reminder_due_idx")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient} ({self.occasion})"


class NotificationSettings(TimeStampedModel):
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="notification_settings")
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC", validators=[validate_timezone])
    digest_hour = models.PositiveSmallIntegerField(
        _("daily digest at (hour)"), default=8, validators=[MaxValueValidator(23)]
    )

    class Meta:
        ordering = ["person"]
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return f"{self.person}: digest at {self.digest_hour}:00 {self.timezone}"


class NotificationPreference(TimeStampedModel):
    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", _("Right away")
        DIGEST = "digest", _("In my daily digest")
        MUTED = "muted", _("Muted")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="notification_preferences")
    kind = models.CharField(max_length=80)
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.IMMEDIATE)

    class Meta:
        ordering = ["person", "kind"]
        constraints = [models.UniqueConstraint(fields=["person", "kind"], name="one_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.person}: {self.kind} {self.mode}"
