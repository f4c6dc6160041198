"""The competency framework: mindsets and skills with behavioural anchors for levels 1-4, and what each
role requires of them. Hiring rates candidates against it; coaching measures gaps against it."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enablement.models import TimeStampedModel
from managers.models.charters import Role

LEVELS = (1, 2, 3, 4)
LEVEL_VALIDATORS = [MinValueValidator(1), MaxValueValidator(4)]


class Competency(TimeStampedModel):
    class Kind(models.TextChoices):
        MINDSET = "mindset", _("Mindset")
        SKILL = "skill", _("Skill")

    key = models.SlugField(_("key"), max_length=60, unique=True, help_text=_("A stable key, e.g. coaching."))
    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    description = models.TextField(_("description"))
    anchor_1 = models.TextField(_("level 1: developing"))
    anchor_2 = models.TextField(_("level 2: proficient"))
    anchor_3 = models.TextField(_("level 3: advanced"))
    anchor_4 = models.TextField(_("level 4: role model"))
    interview_questions = models.TextField(
        _("suggested interview questions"), blank=True, help_text=_("One question per line.")
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Retired competencies keep their history but are not used anew.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("competencies")

    def __str__(self) -> str:
        return self.name

    @property
    def anchors(self) -> list[tuple[int, str]]:
        return [(level, getattr(self, f"anchor_{level}")) for level in LEVELS]

    @property
    def question_list(self) -> list[str]:
        return [line.strip() for line in self.interview_questions.splitlines() if line.strip()]


class RoleCompetency(TimeStampedModel):
    """A competency a role requires, at a level, with a weight relative to the role's other requirements."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="requirements")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="requirements")
    required_level = models.PositiveSmallIntegerField(_("required level"), validators=LEVEL_VALIDATORS)
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (nice to have) to 5 (critical)."),
    )

    class Meta:
        ordering = ["role", "-weight", "competency__name"]
        verbose_name_plural = _("role competencies")
        constraints = [
            models.UniqueConstraint(fields=["role", "competency"], name="role_competency_unique"),
            models.CheckConstraint(condition=Q(required_level__range=(1, 4)), name="required_level_1_to_4"),
            models.CheckConstraint(condition=Q(weight__range=(1, 5)), name="requirement_weight_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.competency} ≥ {self.required_level}"
