"""Forms of the development pages: the inline forms of a plan page (update a goal, move a task, record a
1:1 with its next steps, add a task or a goal) and the self-assessment. Each validates shape; the plan
services decide what the data forbids."""

from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Fieldset, Layout, Row, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coaching.models import ActivityKind, CoachingPlan, CoachingTask, Goal
from coaching.services.assessments import LevelInput
from coaching.services.plans import NextStep
from managers.forms.ratings import LEVEL_CHOICES, add_rating_fields
from managers.models import Competency, RoleCompetency

DATE_WIDGET = forms.DateInput(attrs={"type": "date"})
NEXT_STEPS = 3
COACHEE, COACH = "coachee", "coach"


def _helper(label: str) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


def _assignee_field(plan: CoachingPlan, **kwargs) -> forms.ChoiceField:
    """The coachee or the coach: the only people a plan's task may go to."""
    choices = [
        (COACHEE, _("%(name)s (coachee)") % {"name": plan.coachee.full_name}),
        (COACH, _("%(name)s (coach)") % {"name": plan.coach.full_name}),
    ]
    return forms.ChoiceField(label=_("Assignee"), choices=choices, initial=COACHEE, **kwargs)


def _assignee(plan: CoachingPlan, choice: str):
    return plan.coach if choice == COACH else plan.coachee


class GoalUpdateForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=Goal.State.choices)
    note = forms.CharField(label=_("Progress note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_note(self) -> str:
        return self.cleaned_data["note"].strip()


class TaskStateForm(forms.Form):
    """Moves an open task; done goes through completing it, so it is not a choice here."""

    state = forms.ChoiceField(
        choices=[
            (state.value, state.label)
            for state in (CoachingTask.State.TODO, CoachingTask.State.IN_PROGRESS, CoachingTask.State.CANCELLED)
        ]
    )


class SessionForm(forms.Form):
    """A 1:1: when, the notes, and up to NEXT_STEPS agreed next steps (each a title, a due date and the
    coachee or the coach); a step without a title is left out."""

    held_on = forms.DateField(label=_("Held on"), widget=DATE_WIDGET)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, plan: CoachingPlan, **kwargs):
        kwargs.setdefault("initial", {"held_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.plan = plan
        steps = []
        for number in range(1, NEXT_STEPS + 1):
            title, due_on, assignee = (f"step_{number}_{name}" for name in ("title", "due_on", "assignee"))
            self.fields[title] = forms.CharField(
                label=_("Next step %(n)s") % {"n": number}, max_length=200, required=False
            )
            self.fields[due_on] = forms.DateField(label=_("Due on"), required=False, widget=DATE_WIDGET)
            self.fields[assignee] = _assignee_field(plan, required=False)
            steps.append(Row(Column(title, css_class="col-md-6"), Column(due_on), Column(assignee)))
        self.helper = _helper(_("Record 1:1"))
        self.helper.layout = Layout(
            Row(Column("held_on", css_class="col-md-7")),
            "notes",
            Fieldset(_("Agreed next steps"), *steps),
        )

    def clean_notes(self) -> str:
        return self.cleaned_data["notes"].strip()

    def clean(self):
        cleaned = super().clean()
        for number in range(1, NEXT_STEPS + 1):
            title = cleaned.get(f"step_{number}_title", "").strip()
            if title and not cleaned.get(f"step_{number}_due_on"):
                self.add_error(f"step_{number}_due_on", _("When is this next step due?"))
            elif not title and cleaned.get(f"step_{number}_due_on"):
                self.add_error(f"step_{number}_title", _("Give this next step a title."))
        return cleaned

    def next_steps(self) -> list[NextStep]:
        steps = []
        for number in range(1, NEXT_STEPS + 1):
            title = self.cleaned_data[f"step_{number}_title"].strip()
            if title:
                assignee = _assignee(self.plan, self.cleaned_data[f"step_{number}_assignee"])
                steps.append(
                    NextStep(title=title, due_on=self.cleaned_data[f"step_{number}_due_on"], assignee=assignee)
                )
        return steps


class TaskForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("Task"), max_length=200)
    due_on = forms.DateField(label=_("Due on"), widget=DATE_WIDGET)
    goal = forms.ModelChoiceField(label=_("For the goal"), queryset=Goal.objects.none(), required=False)
    description = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, plan: CoachingPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["assignee"] = _assignee_field(plan)
        self.fields["goal"].queryset = plan.goals.all()
        self.helper = _helper(_("Add task"))
        self.helper.layout = Layout(
            Row(Column("kind"), Column("title", css_class="col-md-6")),
            Row(Column("assignee"), Column("due_on"), Column("goal")),
            "description",
        )

    def clean_assignee(self):
        return _assignee(self.plan, self.cleaned_data["assignee"])


class GoalForm(forms.Form):
    title = forms.CharField(label=_("Goal"), max_length=200)
    competency = forms.ModelChoiceField(label=_("Competency"), queryset=Competency.objects.all(), required=False)
    target_level = forms.TypedChoiceField(
        label=_("Target level"), choices=[("", "—"), *LEVEL_CHOICES], coerce=int, empty_value=None, required=False
    )
    due_on = forms.DateField(label=_("Due on"), widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add goal"))
        self.helper.layout = Layout("title", Row(Column("competency"), Column("target_level"), Column("due_on")))


class SelfAssessmentForm(forms.Form):
    """A level (or "not rated") and an example per competency the person's role requires. `rows` pairs
    each requirement with its two fields, so the page shows the competency's anchors beside them."""

    summary = forms.CharField(label=_("Anything else"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, requirements: list[RoleCompetency], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for requirement in requirements:
            level, evidence = add_rating_fields(
                self,
                requirement.competency_id,
                prefix="level",
                label=_("Your level"),
                none_label=_("Not rated"),
                evidence_label=_("Example"),
                evidence_help=_("A recent situation that shows this level."),
            )
            self.rows.append((requirement.competency, level, evidence))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field("summary"))

    def clean(self):
        cleaned = super().clean()
        for _competency, level, evidence in self.rows:
            if cleaned.get(level.name) is None and cleaned.get(evidence.name, "").strip():
                self.add_error(level.name, _("Choose a level for this example, or clear the example."))
        return cleaned

    def ratings(self) -> dict[Competency, LevelInput]:
        return {
            competency: LevelInput(Decimal(self.cleaned_data[level.name]), self.cleaned_data[evidence.name])
            for competency, level, evidence in self.rows
            if self.cleaned_data[level.name] is not None
        }


class RescheduleForm(forms.Form):
    due_on = forms.DateField(label=_("New due date"))
