"""What happened to a leaver's open coaching work, recorded when they leave so that someone above them is
told (a reminder) and sees it (the leader's "Recently left" box). Written once, never changed."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enablement.models import Person, TimeStampedModel


class LeaverHandover(TimeStampedModel):
    """One termination of someone who had open coaching work: how many open plans they coached went to
    `successor` (with how many open tasks), and how many open plans of their own were archived.
    `flag_for` is who is told: the leaver's manager's manager, or the successor when there is none."""

    leaver = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="coaching_handovers")
    successor = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Who now coaches the plans the leaver coached."),
    )
    flag_for = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coaching_flags",
        help_text=_("Who is told: the leaver's manager's manager, else the successor."),
    )
    plans_handed_over = models.PositiveIntegerField(_("plans handed over"), default=0)
    open_tasks = models.PositiveIntegerField(_("open tasks in those plans"), default=0)
    own_plans_archived = models.PositiveIntegerField(_("own plans archived"), default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["created_at"], name="leaver_handover_created_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(plans_handed_over__gt=0) | Q(own_plans_archived__gt=0), name="leaver_handover_has_work"
            ),
            models.CheckConstraint(
                condition=Q(plans_handed_over=0) | Q(successor__isnull=False), name="leaver_handover_has_successor"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.leaver} left: {self.plans_handed_over} plan(s) to {self.successor or '—'}"
