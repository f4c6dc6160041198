"""Hiring frontline managers on the competency framework: requisitions with an interview plan,
candidates and their applications, interviews with one interviewer and one scorecard each, amendments
kept beside submitted scorecards, and the decision."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from enablement.models import Person, Team, TimeStampedModel
from managers.models.charters import Role
from managers.models.competencies import LEVEL_VALIDATORS, Competency


class Requisition(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        ON_HOLD = "on_hold", _("On hold")
        FILLED = "filled", _("Filled")
        CLOSED = "closed", _("Closed")

    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="requisitions", verbose_name=_("role"))
    title = models.CharField(_("title"), max_length=200, help_text=_("e.g. Frontline Sales Manager, Berlin"))
    hiring_manager = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="hiring_requisitions", verbose_name=_("hiring manager")
    )
    recruiter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="recruiting_requisitions",
        verbose_name=_("recruiter"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requisitions",
        verbose_name=_("team"),
        help_text=_("Where the hire joins; the hiring manager's team when empty."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    target_start = models.DateField(_("target start"), null=True, blank=True)
    external_id = models.CharField(_("external id"), max_length=100, blank=True, help_text=_("The ATS's key."))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="requisition_external_id_unique",
                violation_error_code="unique",  # reported on the field, like an unconditional unique field
                violation_error_message=_("A requisition with this external id exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class InterviewStage(TimeStampedModel):
    """One interview of a requisition's plan, and the competencies it covers."""

    requisition = models.ForeignKey(Requisition, on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("interview"), max_length=120, help_text=_("e.g. Coaching role play"))
    duration_minutes = models.PositiveSmallIntegerField(_("minutes"), default=45)
    competencies = models.ManyToManyField(
        Competency, through="InterviewFocus", related_name="+", verbose_name=_("competencies covered")
    )

    class Meta:
        ordering = ["requisition", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["requisition", "name"], name="stage_name_unique_in_plan")]

    def __str__(self) -> str:
        return self.name


class InterviewFocus(TimeStampedModel):
    stage = models.ForeignKey(InterviewStage, on_delete=models.CASCADE, related_name="focus")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    questions = models.TextField(_("suggested questions"), blank=True, help_text=_("One question per line."))

    class Meta:
        ordering = ["stage", "competency__name"]
        verbose_name_plural = _("interview focus")
        constraints = [models.UniqueConstraint(fields=["stage", "competency"], name="focus_unique_in_stage")]

    def __str__(self) -> str:
        return f"{self.stage}: {self.competency}"

    @property
    def question_list(self) -> list[str]:
        """This interview's questions about the competency, or the competency's suggested ones."""
        own = [line.strip() for line in self.questions.splitlines() if line.strip()]
        return own or self.competency.question_list


class Candidate(TimeStampedModel):
    """Someone who applies; one record per person however many requisitions they apply to."""

    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    external_id = models.CharField(_("external id"), max_length=100, blank=True, help_text=_("The ATS's key."))
    profile_url = models.URLField(_("profile link"), blank=True)
    person = models.OneToOneField(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="candidate",
        help_text=_("The employee this candidate became, once hired."),
    )

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="candidate_email_unique_ci",
                violation_error_message=_("A candidate with this email exists."),
            ),
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="candidate_external_id_unique",
                violation_error_code="unique",
                violation_error_message=_("A candidate with this external id exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Application(TimeStampedModel):
    class Stage(models.TextChoices):
        APPLIED = "applied", _("Applied")
        SCREEN = "screen", _("Screen")
        INTERVIEWS = "interviews", _("Interviews")
        DECISION = "decision", _("Decision")
        HIRED = "hired", _("Hired")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Decision(models.TextChoices):
        HIRE = "hire", _("Hire")
        REJECT = "reject", _("Reject")

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="applications")
    requisition = models.ForeignKey(Requisition, on_delete=models.PROTECT, related_name="applications")
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.APPLIED)
    stage_changed_at = models.DateTimeField(_("in this stage since"))
    source = models.CharField(_("source"), max_length=100, blank=True, help_text=_("e.g. referral, inbound"))
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    decision_rationale = models.TextField(_("rationale"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["requisition", "candidate__last_name", "candidate__first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "requisition"], name="one_application_per_requisition"),
            models.CheckConstraint(
                condition=(Q(stage="hired", decision="hire") | Q(stage="rejected", decision="reject"))
                & Q(decided_at__isnull=False)
                | ~Q(stage__in=["hired", "rejected"]) & Q(decision="", decided_at__isnull=True),
                name="decided_exactly_when_hired_or_rejected",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} → {self.requisition}"

    @property
    def is_active(self) -> bool:
        return self.stage not in CLOSED_STAGES


CLOSED_STAGES = frozenset({Application.Stage.HIRED, Application.Stage.REJECTED, Application.Stage.WITHDRAWN})


class ApplicationEvent(models.Model):
    """Every stage move and decision of an application: who, when, from where to where. Never edited."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    from_stage = models.CharField(max_length=12, choices=Application.Stage.choices, blank=True)
    to_stage = models.CharField(max_length=12, choices=Application.Stage.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.application}: {self.from_stage or '—'} → {self.to_stage}"


class Interview(TimeStampedModel):
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="interviews")
    stage = models.ForeignKey(InterviewStage, on_delete=models.PROTECT, related_name="interviews")
    interviewer = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="interviews", verbose_name=_("interviewer")
    )
    scheduled_at = models.DateTimeField(_("when"), db_index=True)

    class Meta:
        ordering = ["scheduled_at", "pk"]

    def __str__(self) -> str:
        return f"{self.stage} with {self.interviewer} ({self.application.candidate})"


class Scorecard(TimeStampedModel):
    """One interviewer's ratings of one interview. A draft until submitted; then frozen."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    class Recommendation(models.TextChoices):
        STRONG_NO = "strong_no", _("Strong no")
        NO = "no", _("No")
        YES = "yes", _("Yes")
        STRONG_YES = "strong_yes", _("Strong yes")

    interview = models.OneToOneField(Interview, on_delete=models.PROTECT, related_name="scorecard")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    recommendation = models.CharField(
        _("overall recommendation"), max_length=10, choices=Recommendation.choices, blank=True
    )
    summary = models.TextField(_("summary"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["interview__scheduled_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft", submitted_at__isnull=True)
                | Q(status="submitted", submitted_at__isnull=False) & ~Q(recommendation="") & ~Q(summary=""),
                name="submitted_scorecard_is_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"Scorecard: {self.interview}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class ScorecardRating(TimeStampedModel):
    """A rating of one focus competency; no rating means "not assessed"."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="ratings")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True, validators=LEVEL_VALIDATORS)
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        ordering = ["scorecard", "competency__name"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "competency"], name="one_rating_per_competency"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__range=(1, 4)), name="scorecard_rating_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competency}: {self.rating or 'not assessed'}"


class ScorecardAmendment(models.Model):
    """A correction or addition the interviewer records beside a submitted scorecard, with the reason.
    The scorecard itself never changes, so what was submitted stays what the others read."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="amendments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    reason = models.CharField(_("reason"), max_length=300)
    note = models.TextField(_("amendment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Amendment to {self.scorecard}: {self.reason}"
