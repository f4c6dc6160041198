"""Team pulse surveys: a question bank, series of pulses about one manager, and answers that cannot be
tied to a person.

How an answer stays unlinkable (README, "Team pulse"; the read side is `coaching.pulse.selectors`):

- `PulseAnswer` and `PulseComment` have no foreign key to a person or a login, no timestamp (the pulse
  is the finest time they carry) and a random UUID key; their default order is that key, so neither ids
  nor order say anything about when or by whom.
- While a pulse is open, ballots wait in one `PulseBallotBox` row per pulse, a list reshuffled on every
  ballot; there is one row, so its position says nothing either. At close the ballots are written to the
  answer and comment tables in one shuffled batch and the box is deleted, so the answer tables only ever
  hold closed pulses (results are never live) and their physical order is random.
- `PulseInvitation` (who was asked, and whether they answered: for deduplication and reminders) exists
  only while the pulse is open. It has no `updated_at` on purpose (it would date each answer). At close
  the counts are kept on the pulse and the invitations are deleted.
- Answers of one person in one series carry the same `respondent`: HMAC-SHA256 of (series, person) with
  PULSE_PSEUDONYM_SECRET, which lives in the environment, never in the database. It lets a rolling window
  pool each respondent's latest answer per question; without the secret it names nobody.

These models break the house rule "every model has created_at/updated_at" on purpose.
"""

import uuid

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from enablement.models import Person, TimeStampedModel
from managers.models import Competency


class Lever(models.TextChoices):
    CLARITY = "clarity", _("Role clarity")
    SKILLS = "skills", _("Skills and coaching")
    SUPPORT = "support", _("Organizational support")
    ENGAGEMENT = "engagement", _("Engagement")


class PulseQuestion(TimeStampedModel):
    """A question of the bank. Scale questions are 1-5 (4 and 5 are favourable); the eNPS question 0-10;
    the check-back question (did last time's action happen?) 1-3. Every question may be skipped."""

    class Scale(models.TextChoices):
        AGREE = "agree", _("1-5, disagree to agree")
        ENPS = "enps", _("0-10, how likely to recommend")
        CHECK_BACK = "check_back", _("Did it happen: no, partly, yes")

    key = models.SlugField(_("key"), max_length=60, unique=True)
    text = models.CharField(_("question"), max_length=300)
    lever = models.CharField(_("lever"), max_length=12, choices=Lever.choices)
    competency = models.ForeignKey(
        Competency, on_delete=models.PROTECT, null=True, blank=True, related_name="pulse_questions"
    )
    scale = models.CharField(_("scale"), max_length=12, choices=Scale.choices, default=Scale.AGREE)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "key"]

    def __str__(self) -> str:
        return self.text

    @property
    def max_value(self) -> int:
        return {self.Scale.AGREE: 5, self.Scale.ENPS: 10, self.Scale.CHECK_BACK: 3}[self.scale]

    @property
    def min_value(self) -> int:
        return 0 if self.scale == self.Scale.ENPS else 1


class PulseSeries(TimeStampedModel):
    """Every pulse about one person: their team's pulse (sellers about their manager) or their upward
    pulse (the managers who report to a leader, about that leader). The pseudonyms are per series."""

    class Kind(models.TextChoices):
        TEAM = "team", _("Team pulse")
        UPWARD = "upward", _("Upward pulse")

    class Cadence(models.TextChoices):
        ONCE = "once", _("Once")
        MONTHLY = "monthly", _("Monthly, rotating questions")

    subject = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="pulse_series")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.TEAM)
    cadence = models.CharField(_("cadence"), max_length=8, choices=Cadence.choices, default=Cadence.ONCE)
    # Monthly series: the day the beat sweep schedules the next pulse (`coaching.pulse.recurrence`).
    next_pulse_on = models.DateField(_("next pulse on"), null=True, blank=True)

    class Meta:
        ordering = ["subject__last_name", "subject__first_name", "kind"]
        verbose_name_plural = _("pulse series")
        constraints = [models.UniqueConstraint(fields=["subject", "kind"], name="pulse_series_unique")]
        indexes = [models.Index(fields=["cadence", "next_pulse_on"], name="pulse_series_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"


class Pulse(TimeStampedModel):
    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    series = models.ForeignKey(PulseSeries, on_delete=models.PROTECT, related_name="pulses")
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SCHEDULED)
    questions = models.ManyToManyField(PulseQuestion, through="PulseItem", related_name="pulses")
    check_back = models.ForeignKey(
        "FeedbackAction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="checked_in",
        verbose_name=_("asks whether this action happened"),
    )
    scheduled_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # Kept at close, when the invitations are deleted.
    invited_count = models.PositiveIntegerField(default=0)
    respondent_count = models.PositiveIntegerField(default=0)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-closes_on", "-pk"]
        indexes = [models.Index(fields=["state", "opens_on"]), models.Index(fields=["state", "closes_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="pulse_closes_after_open")
        ]

    def __str__(self) -> str:
        return f"{self.series} ({self.opens_on} to {self.closes_on})"


class PulseItem(models.Model):
    pulse = models.ForeignKey(Pulse, on_delete=models.CASCADE, related_name="items")
    question = models.ForeignKey(PulseQuestion, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["pulse", "question"], name="pulse_item_unique")]

    def __str__(self) -> str:
        return f"{self.pulse_id}: {self.question_id}"


class PulseInvitation(models.Model):
    """Who was asked (the audience snapshot taken when the pulse opened) and whether they have answered.
    Only while the pulse is open: deleted at close. No updated_at: it would date the answer."""

    pulse = models.ForeignKey(Pulse, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="pulse_invitations")
    has_answered = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pulse", "person"]
        constraints = [models.UniqueConstraint(fields=["pulse", "person"], name="pulse_invitation_unique")]

    def __str__(self) -> str:
        return f"{self.pulse_id}: {self.person_id}"


class PulseBallotBox(models.Model):
    """The ballots of an open pulse, one row per pulse, reshuffled on every ballot. Deleted at close."""

    pulse = models.OneToOneField(Pulse, on_delete=models.CASCADE, primary_key=True, related_name="ballot_box")
    ballots = models.JSONField(default=list)

    class Meta:
        ordering = ["pulse"]

    def __str__(self) -> str:
        return f"ballot box {self.pulse_id}"


def _random_key() -> uuid.UUID:
    return uuid.uuid4()


class PulseAnswer(models.Model):
    """One answer to one question of a closed pulse. No person, no time, a random key (see the module)."""

    id = models.UUIDField(primary_key=True, default=_random_key, editable=False)
    pulse = models.ForeignKey(Pulse, on_delete=models.PROTECT, related_name="answers")
    question = models.ForeignKey(PulseQuestion, on_delete=models.PROTECT, related_name="answers")
    respondent = models.CharField(max_length=64, help_text=_("Keyed pseudonym, per series; not a person's id."))
    value = models.SmallIntegerField(validators=[MinValueValidator(0), MaxValueValidator(10)])

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["pulse", "question", "respondent"], name="pulse_answer_once"),
            models.CheckConstraint(condition=Q(value__gte=0, value__lte=10), name="pulse_answer_value_range"),
        ]

    def __str__(self) -> str:
        return f"answer to pulse {self.pulse_id}"


class PulseComment(models.Model):
    """A verbatim comment of a closed pulse: no person, no pseudonym (so it cannot be set beside that
    person's scores), no time, a random key."""

    id = models.UUIDField(primary_key=True, default=_random_key, editable=False)
    pulse = models.ForeignKey(Pulse, on_delete=models.PROTECT, related_name="comments")
    text = models.TextField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"comment on pulse {self.pulse_id}"


class FeedbackAction(TimeStampedModel):
    """ "You said / we will": what a manager (or a leader, for an upward pulse) does about a released
    result; the team sees it on the pulse page and the next pulse asks whether it happened."""

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Done")

    pulse = models.ForeignKey(Pulse, on_delete=models.PROTECT, related_name="actions")
    question = models.ForeignKey(PulseQuestion, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    you_said = models.TextField(_("you said"))
    we_will = models.TextField(_("we will"))
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="feedback_actions")
    due_on = models.DateField(_("due on"))
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PLANNED)
    goal = models.ForeignKey("coaching.Goal", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    task = models.ForeignKey(
        "coaching.CoachingTask", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["pulse", "pk"]

    def __str__(self) -> str:
        return self.we_will[:80]
