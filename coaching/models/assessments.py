"""Assessments: a person rated on competencies by one source, for a period. A requested assessment (a
leader asking a manager for a self-assessment) has no ratings until it is submitted."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from coaching.models.periods import validate_period
from enablement.models import Person, TimeStampedModel
from managers.models import Application, Competency


class Assessment(TimeStampedModel):
    class Source(models.TextChoices):
        SELF = "self", _("Self")
        LEADER = "leader", _("Leader")
        PEER = "peer", _("Peer")
        HIRING = "hiring", _("Hiring interviews")
        SURVEY = "survey", _("Pulse survey")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        SUBMITTED = "submitted", _("Submitted")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assessments")
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True, help_text=_("For a requested assessment."))
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    application = models.OneToOneField(
        Application,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessment",
        help_text=_("For hiring assessments: the application whose scorecards this records."),
    )

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        indexes = [models.Index(fields=["person", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(application__isnull=True) | Q(source="hiring"), name="only_hiring_assessments_link_apps"
            ),
            models.CheckConstraint(
                condition=Q(status="requested") | Q(assessed_on__isnull=False), name="submitted_assessment_has_a_date"
            ),
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="assessment_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_source_display()} ({self.assessed_on or self.get_status_display()})"

    def clean(self) -> None:
        validate_period(self.period_start, self.period_end)

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class AssessmentRating(TimeStampedModel):
    """One competency of an assessment. Levels may be fractional: a hiring assessment records the mean
    of the interviewers' ratings."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    level = models.DecimalField(
        _("level"),
        max_digits=3,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(4))],
    )
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        ordering = ["assessment", "competency__name"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "competency"], name="one_assessment_rating_per_competency"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=4), name="assessment_level_1_to_4"),
        ]

    def __str__(self) -> str:
        return f"{self.competency}: {self.level}"
