"""Forms of the team and leader pages: starting a plan, asking for and recording assessments, and the
development-activity library. Shape and field validation only; the services decide the rest."""

import datetime
from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coaching.models import ActivityKind, Assessment, DevelopmentActivity
from coaching.services.assessments import LevelInput
from enablement.models import Person
from managers.forms.ratings import add_rating_fields
from managers.models import Competency, RoleCompetency

DATE_WIDGET = forms.DateInput(attrs={"type": "date"})


def _helper(label: str) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


class PlanStartForm(forms.Form):
    FROM_GAPS, FROM_SCRATCH = "gaps", "scratch"

    start_from = forms.ChoiceField(
        label=_("Start"),
        choices=[
            (FROM_GAPS, _("From the gaps: a goal per largest gap, with tasks from the library")),
            (FROM_SCRATCH, _("From scratch: an empty draft")),
        ],
        initial=FROM_GAPS,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False, help_text=_("Empty: a title is made."))
    period_start = forms.DateField(label=_("From"), widget=DATE_WIDGET)
    period_end = forms.DateField(label=_("To"), widget=DATE_WIDGET, required=False, help_text=_("Empty: 90 days."))
    coach = forms.ModelChoiceField(label=_("Coach"), queryset=Person.objects.none(), empty_label=None)

    def __init__(self, *args, coaches: QuerySet[Person], me: Person, **kwargs):
        kwargs.setdefault("initial", {}).update(period_start=timezone.localdate(), coach=me.pk)
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = coaches
        self.helper = _helper(_("Create draft plan"))
        self.helper.layout = Layout("start_from", "title", Row(Column("period_start"), Column("period_end")), "coach")

    @property
    def from_gaps(self) -> bool:
        return self.cleaned_data["start_from"] == self.FROM_GAPS


class AssessmentRequestForm(forms.Form):
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DATE_WIDGET)
    note = forms.CharField(label=_("Note"), max_length=1000, required=False)

    def clean_due_on(self) -> datetime.date | None:
        due_on = self.cleaned_data["due_on"]
        if due_on and due_on < timezone.localdate():
            raise forms.ValidationError(_("The due date has passed."))
        return due_on


class AssessmentRecordForm(forms.Form):
    """A level (or "not assessed") and evidence per competency the person's role requires, the source and
    the period. `rows` pairs each requirement with its fields, so the page shows the anchors beside them.
    Levels are whole here (fractions come from averaged hiring ratings)."""

    source = forms.ChoiceField(
        label=_("Whose assessment"),
        choices=[
            (Assessment.Source.LEADER.value, _("Mine, as their leader")),
            (Assessment.Source.PEER.value, _("A peer's, recorded by me")),
        ],
        initial=Assessment.Source.LEADER.value,
        widget=forms.RadioSelect,
    )
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DATE_WIDGET)
    period_start = forms.DateField(label=_("Period from"), required=False, widget=DATE_WIDGET)
    period_end = forms.DateField(label=_("Period to"), required=False, widget=DATE_WIDGET)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, requirements: list[RoleCompetency], **kwargs):
        kwargs.setdefault("initial", {}).setdefault("assessed_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.rows = []
        for requirement in requirements:
            level, evidence = add_rating_fields(
                self,
                requirement.competency_id,
                prefix="level",
                label=_("Level"),
                none_label=_("Not assessed"),
                evidence_label=_("Evidence"),
                evidence_help=_("What you saw them do that supports the level."),
            )
            self.rows.append((requirement, level, evidence))

    def clean(self):
        cleaned = super().clean()
        if self.rows and not self.ratings():
            raise forms.ValidationError(_("Rate at least one competency."))
        return cleaned

    def ratings(self) -> dict[Competency, LevelInput]:
        return {
            requirement.competency: LevelInput(
                Decimal(self.cleaned_data[level.name]), self.cleaned_data.get(evidence.name, "")
            )
            for requirement, level, evidence in self.rows
            if self.cleaned_data.get(level.name) is not None
        }

    def assessment_values(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in ("source", "assessed_on", "period_start", "period_end", "summary")
        }


class ActivityForm(forms.ModelForm):
    """A library activity. The competency is set when it is added; leaders retire an activity (it stays on
    the tasks made from it) rather than delete it."""

    class Meta:
        model = DevelopmentActivity
        fields = ["competency", "kind", "title", "description", "duration_days", "is_active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ActivityKind.choices
        if self.instance.pk:
            del self.fields["competency"]
            self.fields["is_active"].help_text = _("Untick to retire it: new plans no longer suggest it.")
        else:
            self.fields["competency"].queryset = Competency.objects.filter(is_active=True)
            del self.fields["is_active"]
        self.helper = _helper(_("Save activity") if self.instance.pk else _("Add activity"))
