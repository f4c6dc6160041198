"""Recognition: anyone thanks a colleague for a behaviour. Whether a thank-you counts towards figures
(the manager's coverage) is decided once, when it is given (`coaching.recognition.services`)."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from enablement.models import Person, TimeStampedModel
from managers.models import Competency


class RecognitionTag(models.TextChoices):
    PROSPECTING = "prospecting", _("Prospecting initiative")
    BRAND = "brand", _("Brand-building")
    CUSTOMER = "customer", _("Customer service")
    COLLABORATION = "collaboration", _("Cross-functional collaboration")
    INSIGHT = "insight", _("Sharing a market insight")
    NEW_APPROACH = "new_approach", _("Trying a new approach")


class Recognition(TimeStampedModel):
    class Visibility(models.TextChoices):
        TEAM = "team", _("Recipient's team and manager chain")
        PRIVATE = "private", _("Only the recipient and their manager")

    class Flag(models.TextChoices):
        NONE = "", _("None")
        RETURNED = "returned", _("Returned thank-you within the window")
        CONCENTRATED = "concentrated", _("Over the giver's share for one person")

    giver = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="recognitions_given")
    recipient = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="recognitions_received")
    reason = models.TextField(_("reason"))
    tags = models.JSONField(_("tags"), default=list, blank=True)
    competency = models.ForeignKey(
        Competency, on_delete=models.PROTECT, null=True, blank=True, related_name="recognitions"
    )
    visibility = models.CharField(_("visibility"), max_length=8, choices=Visibility.choices, default=Visibility.TEAM)
    counts = models.BooleanField(_("counts towards figures"), default=True)
    flag = models.CharField(_("flag"), max_length=12, choices=Flag.choices, default=Flag.NONE, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["updated_at", "id"], name="recognition_sync_order_idx"),
            models.Index(fields=["giver", "created_at"]),
        ]
        constraints = [models.CheckConstraint(condition=~Q(giver=F("recipient")), name="recognition_not_self")]

    def __str__(self) -> str:
        return f"{self.giver} → {self.recipient}"

    @property
    def tag_labels(self) -> list[str]:
        return [RecognitionTag(tag).label for tag in self.tags if tag in RecognitionTag.values]
