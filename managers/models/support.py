"""Organizational support, the strongest lever: holders rate each support item of their charter ("this works
for me", 1-5) when they acknowledge it and every quarter, and raise support requests for what blocks them,
which reminders chase until the raiser confirms the problem is fixed."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
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


class SupportFunction(TimeStampedModel):
    """A team outside the sales line that answers support requests (Revenue Operations, Marketing, Sales
    Systems...), with the person who owns what is raised to it."""

    name = models.CharField(_("function"), max_length=120)
    owner = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="owned_support_functions", verbose_name=_("owner")
    )
    description = models.CharField(_("what it helps with"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="support_function_name_unique_ci",
                violation_error_message=_("A function with this name exists."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class SupportRequest(TimeStampedModel):
    """An obstacle a manager raised, owned by a person (directly or as a function's owner), answered within a
    target time to first response, and closed only when the raiser confirms the fix."""

    class Kind(models.TextChoices):
        TOOL = "tool", _("Tool or system")
        PROCESS = "process", _("Process")
        PARTNER = "partner", _("Cross-functional partner")
        ENABLEMENT = "enablement", _("Enablement")
        DATA = "data", _("Data")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        DECLINED = "declined", _("Declined")

    raised_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="raised_support_requests", verbose_name=_("raised by")
    )
    owner = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="owned_support_requests", verbose_name=_("owner")
    )
    function = models.ForeignKey(
        SupportFunction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("function"),
    )
    support_item = models.ForeignKey(
        SupportItem,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("charter support item"),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("what is blocked"), max_length=200)
    description = models.TextField(_("details"), blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.OPEN)
    first_response_due_at = models.DateTimeField(_("first response due"))
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution = models.TextField(_("resolution or reason"), blank=True)
    confirmed_fixed_at = models.DateTimeField(_("confirmed fixed at"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("reopened"), default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "first_response_due_at"], name="support_request_due_idx"),
            # Incremental sync reads requests in (updated_at, id) order from a cursor (enablement/api/sync.py).
            models.Index(fields=["updated_at", "id"], name="support_request_sync_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(owner=models.F("raised_by")), name="support_request_not_own"),
            models.CheckConstraint(
                condition=~Q(state="declined") | ~Q(resolution=""), name="support_request_declined_with_reason"
            ),
            models.CheckConstraint(
                condition=Q(confirmed_fixed_at__isnull=True) | Q(state="resolved"),
                name="support_request_confirmed_only_resolved",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_REQUEST_STATES

    @property
    def is_closed(self) -> bool:
        """Declined, or resolved and confirmed fixed by the raiser."""
        return self.state == self.State.DECLINED or self.confirmed_fixed_at is not None

    @property
    def awaits_confirmation(self) -> bool:
        return self.state == self.State.RESOLVED and self.confirmed_fixed_at is None


OPEN_REQUEST_STATES = (
    SupportRequest.State.OPEN,
    SupportRequest.State.ACKNOWLEDGED,
    SupportRequest.State.IN_PROGRESS,
)


class SupportRequestEntry(TimeStampedModel):
    """The request's thread: comments and what happened (raised, acknowledged, resolved, reopened...), in order."""

    class Event(models.TextChoices):
        COMMENT = "comment", _("commented")
        RAISED = "raised", _("raised the request")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")
        IN_PROGRESS = "in_progress", _("started work")
        RESOLVED = "resolved", _("resolved it")
        DECLINED = "declined", _("declined it")
        FIXED = "fixed", _("confirmed it is fixed")
        NOT_FIXED = "not_fixed", _("said it is not fixed, and reopened it")

    request = models.ForeignKey(SupportRequest, on_delete=models.CASCADE, related_name="entries")
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    event = models.CharField(max_length=12, choices=Event.choices, default=Event.COMMENT)
    body = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = _("support request entries")

    def __str__(self) -> str:
        return f"{self.author} {self.get_event_display()}"
