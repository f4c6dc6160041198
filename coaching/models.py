"""Assessments: a person rated on competencies by one source, for a period. Development gaps, plans,
goals, tasks and sessions build on them."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enablement.models import Person, TimeStampedModel
from managers.models import Application, Competency


class Assessment(TimeStampedModel):
    class Source(models.TextChoices):
        SELF = "self", _("Self")
        LEADER = "leader", _("Leader")
        PEER = "peer", _("Peer")
        HIRING = "hiring", _("Hiring interviews")
        SURVEY = "survey", _("Pulse survey")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assessments")
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assessed_on = models.DateField(_("assessed on"))
    summary = models.TextField(_("summary"), blank=True)
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="assessment",
        help_text=_("For hiring assessments: the application whose scorecards this records."),
    )  # fmt: skip

    class Meta:
        ordering = ["-assessed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(application__isnull=True) | Q(source="hiring"), name="only_hiring_assessments_link_apps"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_source_display()} ({self.assessed_on})"


class AssessmentRating(TimeStampedModel):
    """One competency of an assessment. Levels may be fractional: a hiring assessment records the mean
    of the interviewers' ratings."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    level = models.DecimalField(
        _("level"), max_digits=3, decimal_places=2,
        validators=[MinValueValidator(Decimal(1)), MaxValueValidator(Decimal(4))],
    )  # fmt: skip
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        ordering = ["assessment", "competency__name"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "competency"], name="one_assessment_rating_per_competency"),
            models.CheckConstraint(condition=Q(level__gte=1, level__lte=4), name="assessment_level_1_to_4"),
        ]

    def __str__(self) -> str:
        return f"{self.competency}: {self.level}"
