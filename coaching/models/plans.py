"""Coaching plans: a coachee, a coach, a period and a state; goals (usually one per development gap),
tasks (from a library of development activities, or agreed in a session) and 1:1 sessions. Progress is
derived from goals and tasks, never stored."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from coaching.models.periods import validate_period
from enablement.models import Person, TimeStampedModel
from managers.models import Competency


class ActivityKind(models.TextChoices):
    TRAINING = "training", _("Training or workshop")
    PRACTICE = "practice", _("Practice")
    SHADOWING = "shadowing", _("Shadow a peer")
    MENTORSHIP = "mentorship", _("Mentorship")
    READING = "reading", _("Reading")
    ONE_ON_ONE = "one_on_one", _("1:1")


class DevelopmentActivity(TimeStampedModel):
    """A development activity leaders suggest for a competency: the library plans draw tasks from."""

    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="activities")
    kind = models.CharField(_("kind"), max_length=12, choices=ActivityKind.choices)
    title = models.CharField(_("activity"), max_length=200)
    description = models.TextField(_("what to do"), blank=True)
    duration_days = models.PositiveSmallIntegerField(
        _("days to allow"), default=14, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["competency__name", "kind", "title"]
        verbose_name_plural = _("development activities")
        constraints = [models.UniqueConstraint(fields=["competency", "title"], name="activity_title_unique")]

    def __str__(self) -> str:
        return self.title


class CoachingPlan(TimeStampedModel):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        ARCHIVED = "archived", _("Archived")

    coachee = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="coaching_plans")
    coach = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="coached_plans")
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    activated_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_start", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["coachee"],
                condition=Q(state="active"),
                name="one_active_plan_per_person",
                violation_error_message=_("This person already has an active coaching plan."),
            ),
            models.CheckConstraint(condition=Q(period_end__gte=F("period_start")), name="plan_period_in_order"),
            models.CheckConstraint(condition=~Q(coach=F("coachee")), name="plan_coach_is_not_coachee"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.coachee})"

    def clean(self) -> None:
        validate_period(self.period_start, self.period_end)

    @property
    def is_open(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.ACTIVE)

    @property
    def is_archivable(self) -> bool:
        """A draft or a completed plan is put away; an active one is completed first (so what it achieved
        is recorded), unless its coachee has left. `plan_archive` refuses the rest; pages offer only these."""
        if self.state == self.State.ACTIVE:
            return self.coachee.is_terminated
        return self.state in (self.State.DRAFT, self.State.COMPLETED)


class Goal(TimeStampedModel):
    class State(models.TextChoices):
        OPEN = "open", _("Open")
        ACHIEVED = "achieved", _("Achieved")
        DROPPED = "dropped", _("Dropped")

    plan = models.ForeignKey(CoachingPlan, on_delete=models.CASCADE, related_name="goals")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    title = models.CharField(_("goal"), max_length=200)
    baseline_level = models.DecimalField(_("level at the start"), max_digits=3, decimal_places=2, null=True, blank=True)
    target_level = models.PositiveSmallIntegerField(
        _("target level"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    due_on = models.DateField(_("due on"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    note = models.TextField(_("progress note"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_level__isnull=True) | Q(target_level__range=(1, 4)), name="goal_target_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class CoachingSession(TimeStampedModel):
    """A 1:1 between coach and coachee: notes, and next steps that became tasks."""

    plan = models.ForeignKey(CoachingPlan, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("held on"))
    notes = models.TextField(_("notes"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"1:1 on {self.held_on} ({self.plan})"


class CoachingTask(TimeStampedModel):
    class State(models.TextChoices):
        TODO = "todo", _("To do")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    plan = models.ForeignKey(CoachingPlan, on_delete=models.CASCADE, related_name="tasks")
    goal = models.ForeignKey(Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks")
    activity = models.ForeignKey(
        DevelopmentActivity, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks"
    )
    session = models.ForeignKey(
        CoachingSession,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="next_steps",
        help_text=_("The 1:1 where this was agreed as a next step."),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ActivityKind.choices)
    title = models.CharField(_("task"), max_length=200)
    description = models.TextField(_("details"), blank=True)
    assignee = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="coaching_tasks")
    due_on = models.DateField(_("due on"), db_index=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.TODO)
    completed_at = models.DateTimeField(_("done at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["state", "due_on"]),
            # A plan's open tasks past due (the overdue counts): one index scan per plan, never an intersection
            # with every open overdue task of the org.
            models.Index(fields=["plan", "state", "due_on"], name="task_plan_open_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="done", completed_at__isnull=False) | ~Q(state="done") & Q(completed_at__isnull=True),
                name="task_done_exactly_when_completed",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state in (self.State.TODO, self.State.IN_PROGRESS)


OPEN_TASK_STATES = (CoachingTask.State.TODO, CoachingTask.State.IN_PROGRESS)
