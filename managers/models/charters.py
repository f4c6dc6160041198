"""Role charters: what a role focuses on, what it stops doing, how success is measured and what support
it gets, versioned (draft, published, retired), acknowledged by the people who hold the role, and
tracked with metric readings."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from enablement.models import Person, TimeStampedModel

CLARITY_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class Role(TimeStampedModel):
    code = models.SlugField(_("code"), max_length=60, unique=True, help_text=_("A stable key, e.g. fsm-enterprise."))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    review_cadence_months = models.PositiveSmallIntegerField(
        _("review every (months)"), default=6, validators=[MinValueValidator(1), MaxValueValidator(36)]
    )
    last_reviewed_on = models.DateField(_("last reviewed on"), null=True, blank=True)
    # Kept by the services (publish, mark reviewed) so that "due for review" is one indexed query.
    next_review_on = models.DateField(_("next review on"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RoleAssignmentQuerySet(models.QuerySet):
    def current(self) -> "RoleAssignmentQuerySet":
        """The assignments not ended: the role each person holds now (at most one each, by constraint)."""
        return self.filter(ended_on__isnull=True)


class RoleAssignment(TimeStampedModel):
    """Who holds which role, since when; ended assignments are the history. `RoleAssignment.objects.current()`
    (or `person.role_assignments.current()`) is what "the role someone holds now" means everywhere."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="role_assignments")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="assignments")
    started_on = models.DateField(_("since"))
    ended_on = models.DateField(_("until"), null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_on__isnull=True),
                name="one_current_role_per_person",
                violation_error_message=_("This person already holds a current role: end it first."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="assignment_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.role}"


class CharterVersion(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    purpose = models.TextField(_("purpose"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["role", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["role", "number"], name="charter_version_number_unique"),
            models.UniqueConstraint(
                fields=["role"],
                condition=Q(status="published"),
                name="one_published_per_role",
                violation_error_message=_("This role already has a published charter version."),
            ),
            models.UniqueConstraint(
                fields=["role"],
                condition=Q(status="draft"),
                name="one_draft_per_role",
                violation_error_message=_("This role already has a draft charter version."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} v{self.number} ({self.get_status_display()})"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class CharterItem(TimeStampedModel):
    """An ordered item of one charter version; subclasses name their `version` relation."""

    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]


class FocusArea(CharterItem):
    version = models.ForeignKey(CharterVersion, on_delete=models.CASCADE, related_name="focus_areas")
    title = models.CharField(_("focus area"), max_length=200)
    description = models.TextField(_("what it means"), blank=True)
    time_share = models.PositiveSmallIntegerField(
        _("share of time (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )

    class Meta(CharterItem.Meta):
        constraints = [models.CheckConstraint(condition=Q(time_share__lte=100), name="focus_share_at_most_100")]

    def __str__(self) -> str:
        return self.title


class DeprioritizedActivity(CharterItem):
    version = models.ForeignKey(CharterVersion, on_delete=models.CASCADE, related_name="deprioritized")
    activity = models.CharField(_("activity"), max_length=200)
    reason = models.TextField(_("why stop"))
    hand_off_to = models.CharField(_("where the work goes instead"), max_length=200, blank=True)

    class Meta(CharterItem.Meta):
        verbose_name_plural = _("deprioritized activities")

    def __str__(self) -> str:
        return self.activity


class SuccessMetric(CharterItem):
    version = models.ForeignKey(CharterVersion, on_delete=models.CASCADE, related_name="metrics")

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    class Cadence(models.TextChoices):
        WEEKLY = "weekly", _("Weekly")
        MONTHLY = "monthly", _("Monthly")
        QUARTERLY = "quarterly", _("Quarterly")

    # The same metric across versions keeps its key, so readings carry over when a new version is published.
    key = models.UUIDField(default=uuid.uuid4, editable=False)
    name = models.CharField(_("metric"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40, help_text=_("e.g. %, days, hours"))
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    cadence = models.CharField(_("cadence"), max_length=10, choices=Cadence.choices, default=Cadence.MONTHLY)

    class Meta(CharterItem.Meta):
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="metric_key_unique_in_version")]

    def __str__(self) -> str:
        return self.name


class SupportItem(CharterItem):
    version = models.ForeignKey(CharterVersion, on_delete=models.CASCADE, related_name="support_items")

    class Kind(models.TextChoices):
        TOOL = "tool", _("Tool or system")
        PARTNER = "partner", _("Cross-functional partner")
        RESOURCE = "resource", _("Enablement resource")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    function = models.CharField(_("function"), max_length=200, blank=True, help_text=_("For partners: e.g. RevOps."))
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    def __str__(self) -> str:
        return self.name


class Acknowledgement(TimeStampedModel):
    """A request to acknowledge a published version, and, once acknowledged, the holder's clarity ratings."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="charter_acknowledgements")
    version = models.ForeignKey(CharterVersion, on_delete=models.PROTECT, related_name="acknowledgements")
    requested_at = models.DateTimeField(_("requested at"))
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    clarity_focus = models.PositiveSmallIntegerField(
        _("I know what to focus on"), null=True, blank=True, validators=CLARITY_VALIDATORS
    )
    clarity_deprioritize = models.PositiveSmallIntegerField(
        _("I know what to deprioritize"), null=True, blank=True, validators=CLARITY_VALIDATORS
    )
    clarity_success = models.PositiveSmallIntegerField(
        _("I know what success looks like"), null=True, blank=True, validators=CLARITY_VALIDATORS
    )
    question = models.TextField(_("question for your leader"), blank=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # A leader's "Remind" (charter_remind): when, and how many times, so each one is its own reminder.
    reminded_at = models.DateTimeField(_("last reminded by a leader at"), null=True, blank=True)
    remind_count = models.PositiveSmallIntegerField(_("times reminded by a leader"), default=0)
    reminded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "version"], name="one_acknowledgement_per_person_version"),
            models.CheckConstraint(
                condition=Q(acknowledged_at__isnull=True)
                | Q(clarity_focus__range=(1, 5), clarity_deprioritize__range=(1, 5), clarity_success__range=(1, 5)),
                name="acknowledgement_rated_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.version}"

    @property
    def is_pending(self) -> bool:
        return self.acknowledged_at is None


class MetricReading(TimeStampedModel):
    """One person's value of a success metric for one period (the period's first day)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="metric_readings")
    metric = models.ForeignKey(SuccessMetric, on_delete=models.PROTECT, related_name="readings")
    # The metric's key at recording time: the same metric in later versions finds its readings by it.
    metric_key = models.UUIDField(db_index=True)
    period = models.DateField(_("period"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["period", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "metric_key", "period"], name="one_reading_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.metric} {self.period}: {self.value}"


class CharterEvent(models.Model):
    """The audit trail of a role's charter: who did what, when. Written by the services, never edited."""

    class Action(models.TextChoices):
        ROLE_CREATED = "role_created", _("created the role")
        ROLE_CHANGED = "role_changed", _("changed the role")
        DRAFT_STARTED = "draft_started", _("started a draft")
        DRAFT_EDITED = "draft_edited", _("edited the draft")
        PUBLISHED = "published", _("published")
        REVIEWED = "reviewed", _("marked the charter reviewed")
        ASSIGNED = "assigned", _("assigned the role")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")
        ANSWERED = "answered", _("answered a question")
        REMINDED = "reminded", _("reminded a holder to acknowledge")

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="events")
    version = models.ForeignKey(CharterVersion, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    action = models.CharField(max_length=30, choices=Action.choices)
    detail = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.actor} {self.get_action_display()} {self.detail}"
