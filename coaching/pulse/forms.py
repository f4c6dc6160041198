"""Pulse forms: answering (one radio row per question, every question skippable), scheduling and acting
on feedback. Shape and field validation only; `coaching.pulse.services` decides the rest."""

import datetime

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from coaching.models import CoachingPlan, Pulse, PulseQuestion, PulseSeries
from enablement.models import Person
from enablement.web.fields import IdModelMultipleChoiceField

DATE_WIDGET = forms.DateInput(attrs={"type": "date"})
SKIP = ""
CHECK_BACK_LABELS = {1: _("No"), 2: _("Partly"), 3: _("Yes")}


def _choices(question: PulseQuestion) -> list[tuple[str, str]]:
    values = range(question.min_value, question.max_value + 1)
    if question.scale == PulseQuestion.Scale.CHECK_BACK:
        labels = [(str(v), CHECK_BACK_LABELS[v]) for v in values]
    else:
        labels = [(str(v), str(v)) for v in values]
    return [*labels, (SKIP, _("Skip"))]


class PulseAnswerForm(forms.Form):
    comment = forms.CharField(
        label=_("Anything else? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Shown to your manager word for word, shuffled with others, only once at least 8 people "
            "commented. Leave out anything that points to you."
        ),
    )

    def __init__(self, *args, pulse: Pulse, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = [item.question for item in pulse.items.select_related("question")]
        fields = {}
        for question in self.questions:
            label = question.text
            if question.scale == PulseQuestion.Scale.CHECK_BACK and pulse.check_back is not None:
                label = f"{question.text} “{pulse.check_back.we_will}”"
            fields[f"q{question.pk}"] = forms.ChoiceField(
                label=label, choices=_choices(question), required=False, initial=SKIP, widget=forms.RadioSelect
            )
        self.fields = {**fields, "comment": self.fields["comment"]}
        self.helper = FormHelper()
        self.helper.layout = Layout(*(InlineRadios(name) for name in fields), "comment")
        self.helper.add_input(Submit("submit", _("Send my answers"), css_class="w-100"))

    def answers(self) -> dict[int, int | None]:
        return {
            question.pk: int(value) if (value := self.cleaned_data.get(f"q{question.pk}")) not in (None, SKIP) else None
            for question in self.questions
        }


class PulseScheduleForm(forms.Form):
    subject = forms.ModelChoiceField(label=_("About"), queryset=Person.objects.none(), empty_label=None)
    every_team = forms.BooleanField(
        label=_("Every manager below them, one pulse per team"),
        required=False,
        help_text=_("For a leader: schedules the same pulse for each team below them."),
    )
    kind = forms.ChoiceField(label=_("Who answers"), choices=PulseSeries.Kind.choices, initial=PulseSeries.Kind.TEAM)
    opens_on = forms.DateField(label=_("Opens on"), widget=DATE_WIDGET)
    closes_on = forms.DateField(label=_("Closes on"), widget=DATE_WIDGET)
    cadence = forms.ChoiceField(
        label=_("How often"),
        choices=PulseSeries.Cadence.choices,
        initial=PulseSeries.Cadence.ONCE,
        required=False,
        help_text=_(
            "Monthly: a pulse every month, its questions rotating through the bank so each comes round once a quarter."
        ),
    )
    questions = IdModelMultipleChoiceField(
        label=_("Questions (4 to 6)"),
        queryset=PulseQuestion.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Monthly pulses may leave these empty: the month's rotation is asked."),
    )

    def clean_cadence(self) -> str:
        return self.cleaned_data["cadence"] or PulseSeries.Cadence.ONCE

    def __init__(self, *args, subjects: QuerySet[Person], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = subjects
        self.fields["questions"].queryset = PulseQuestion.objects.filter(is_active=True).exclude(
            scale=PulseQuestion.Scale.CHECK_BACK
        )
        today = datetime.date.today()  # noqa: DTZ011 - a form default, the local day is right
        self.initial.setdefault("opens_on", today)
        self.initial.setdefault("closes_on", today + datetime.timedelta(days=7))
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Schedule")))


class FeedbackActionForm(forms.Form):
    question = forms.ModelChoiceField(label=_("Focus item"), queryset=PulseQuestion.objects.none(), required=False)
    you_said = forms.CharField(label=_("You said"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)
    we_will = forms.CharField(label=_("We will"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=Person.objects.none(), empty_label=None)
    due_on = forms.DateField(label=_("Due on"), widget=DATE_WIDGET)
    plan = forms.ModelChoiceField(
        label=_("Also a goal and task in my coaching plan"), queryset=CoachingPlan.objects.none(), required=False
    )

    def __init__(self, *args, pulse: Pulse, owners: QuerySet[Person], plans: QuerySet[CoachingPlan], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].queryset = pulse.questions.all()
        self.fields["owner"].queryset = owners
        self.fields["plan"].queryset = plans
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Tell the team")))
