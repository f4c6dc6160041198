from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class PersonDeletionRefused(Exception):
    """People are never hard-deleted: terminate them instead, so their history stays."""


class Team(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    external_id = models.CharField(
        _("external id"), max_length=100, blank=True, help_text=_("The HR system's key for this team.")
    )
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent team")
    )
    lead = models.ForeignKey(
        "Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="led_teams", verbose_name=_("lead")
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="team_external_id_unique",
                violation_error_code="unique",  # reported on the field, like an unconditional unique field
                violation_error_message=_("A team with this external id exists."),
            ),
            models.CheckConstraint(condition=~Q(parent=F("pk")), name="team_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name


class PersonQuerySet(models.QuerySet):
    def current(self) -> "PersonQuerySet":
        """Everyone still employed, including people on leave."""
        return self.exclude(employment_status=Person.EmploymentStatus.TERMINATED)

    def delete(self):
        raise PersonDeletionRefused("People are never deleted; terminate them instead.")


class Person(TimeStampedModel):
    class EmploymentStatus(models.TextChoices):
        ACTIVE = "active", _("Active")
        ON_LEAVE = "on_leave", _("On leave")
        TERMINATED = "terminated", _("Terminated")

    external_id = models.CharField(
        _("external id"), max_length=100, unique=True, help_text=_("The HR system's key for this person.")
    )
    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("work email"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, null=True, blank=True, related_name="members", verbose_name=_("team")
    )
    manager = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="direct_reports",
        verbose_name=_("manager"),
    )
    employment_status = models.CharField(
        _("employment status"), max_length=20, choices=EmploymentStatus.choices, default=EmploymentStatus.ACTIVE
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("login"),
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name_plural = _("people")
        indexes = [
            models.Index(fields=["employment_status"]),
            # Incremental sync reads people in (updated_at, id) order from a cursor (enablement/api/sync.py).
            models.Index(fields=["updated_at", "id"], name="person_sync_order_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="person_email_unique_ci",
                violation_error_message=_("A person with this email exists."),
            ),
            models.CheckConstraint(condition=~Q(manager=F("pk")), name="person_not_own_manager"),
            models.CheckConstraint(
                condition=Q(employment_status="terminated") | Q(end_date__isnull=True),
                name="person_end_date_only_when_terminated",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_terminated(self) -> bool:
        return self.employment_status == self.EmploymentStatus.TERMINATED

    @property
    def is_starting(self) -> bool:
        """Hired and active in the HR system, with a start date still to come: shown as "Starts <date>"."""
        return (
            self.employment_status == self.EmploymentStatus.ACTIVE
            and self.start_date is not None
            and self.start_date > timezone.localdate()
        )

    def delete(self, *args, **kwargs):
        raise PersonDeletionRefused("People are never deleted; terminate them instead.")


class WorkerHeartbeat(TimeStampedModel):
    """The last time each Celery worker ran the heartbeat task: proof that tasks really get executed."""

    hostname = models.CharField(max_length=255, unique=True)
    beats = models.PositiveBigIntegerField(default=0)
    last_seen_at = models.DateTimeField()

    class Meta:
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return self.hostname
