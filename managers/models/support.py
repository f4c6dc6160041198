"""Organizational support, the strongest lever: holders rate each support item of their charter ("this works
for me", 1-5) when they acknowledge it and every quarter, and raise support requests for what blocks them,
which reminders chase until the raiser confirms the problem is fixed."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enablement.models import Person, TimeStampedModel
from managers.models.charters import Role, SupportItem

SCORE_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class SupportRating(TimeStampedModel):
    """One holder's rating of one support item of their charter, for one quarter (its first day). Rating the
    item again in the same quarter corrects it. The item's role, kind and name are kept with the rating, so a
    rating given on one version still speaks for the same tool, partner or resource in the next version."""

    class Occasion(models.TextChoices):
        ACKNOWLEDGEMENT = "acknowledgement", _("When acknowledging the charter")
        QUARTERLY = "quarterly", _("Quarterly check-in")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="support_ratings")
    item = models.ForeignKey(SupportItem, on_delete=models.PROTECT, related_name="ratings")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="+")
    item_kind = models.CharField(_("kind"), max_length=10, choices=SupportItem.Kind.choices)
    item_name = models.CharField(_("support item"), max_length=200)
    quarter = models.DateField(_("quarter"), help_text=_("The first day of the quarter rated."))
    score = models.PositiveSmallIntegerField(_("this works for me"), validators=SCORE_VALIDATORS)
    note = models.CharField(_("note"), max_length=300, blank=True)
    occasion = models.CharField(_("rated"), max_length=20, choices=Occasion.choices)

    class Meta:
        ordering = ["-quarter", "-updated_at", "-pk"]
        indexes = [models.Index(fields=["role", "quarter"], name="support_rating_role_quarter")]
        constraints = [
            models.UniqueConstraint(fields=["person", "item", "quarter"], name="one_support_rating_per_quarter"),
            models.CheckConstraint(condition=Q(score__range=(1, 5)), name="support_rating_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.item_name}: {self.score}"
