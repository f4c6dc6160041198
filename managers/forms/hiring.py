from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Div, Layout, Row, Submit
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from enablement.models import Person, Team
from enablement.web.fields import IdModelMultipleChoiceField
from enablement.web.input_checks import parse_id
from managers.forms.ratings import add_rating_fields
from managers.models import Application, Competency, InterviewStage, Requisition, Role, Scorecard
from managers.services.hiring import MOVABLE_STAGES, RatingInput

DATE_WIDGET = forms.DateInput(attrs={"type": "date"})


def _helper(label: str) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


class RequisitionForm(forms.ModelForm):
    class Meta:
        model = Requisition
        fields = ["role", "title", "hiring_manager", "recruiter", "team", "target_start", "external_id", "status"]
        widgets = {"target_start": DATE_WIDGET}

    def __init__(self, *args, hiring_managers: QuerySet[Person], recruiters: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].queryset = Role.objects.all()
        self.fields["hiring_manager"].queryset = hiring_managers
        self.fields["recruiter"].queryset = recruiters
        self.fields["recruiter"].label_from_instance = lambda user: user.get_full_name() or user.username
        self.fields["team"].queryset = Team.objects.all()
        if self.instance.pk:
            del self.fields["role"]  # candidates were assessed against it
        else:
            del self.fields["status"]
        self.helper = _helper(_("Save requisition") if self.instance.pk else _("Open requisition"))


class InterviewStageForm(forms.Form):
    name = forms.CharField(label=_("Interview"), max_length=120)
    duration_minutes = forms.IntegerField(label=_("Minutes"), min_value=10, max_value=480, initial=45)
    competencies = IdModelMultipleChoiceField(
        label=_("Competencies it covers"), queryset=Competency.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, competencies: QuerySet[Competency], submit_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competencies"].queryset = competencies
        self.helper = _helper(submit_label)


class FocusQuestionsForm(forms.Form):
    questions = forms.CharField(
        label=_("Questions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line. Empty: the competency's suggested questions."),
    )


class CandidateApplicationForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("Email"))
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    external_id = forms.CharField(label=_("ATS id"), max_length=100, required=False)
    profile_url = forms.URLField(label=_("Profile link"), required=False, assume_scheme="https")
    source = forms.CharField(label=_("Source"), max_length=100, required=False, help_text=_("e.g. referral"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add candidate"))
        self.helper.layout = Layout(
            Row(Column("first_name"), Column("last_name")),
            Row(Column("email"), Column("phone")),
            Row(Column("external_id"), Column("profile_url"), Column("source")),
        )


class MoveForm(forms.Form):
    stage = forms.ChoiceField(
        choices=[(stage.value, stage.label) for stage in Application.Stage if stage in MOVABLE_STAGES]
    )
    note = forms.CharField(max_length=300, required=False)


class InterviewScheduleForm(forms.Form):
    """`interviewers` is everyone who may interview (thousands in a large org): it checks the choice, but
    the picker lists only `suggested` (and the chosen one) and searches the rest at `search_url` as you
    type (enablement/static/enablement/pickers.js)."""

    stage = forms.ModelChoiceField(label=_("Interview"), queryset=InterviewStage.objects.none())
    interviewer = forms.ModelChoiceField(
        label=_("Interviewer"),
        queryset=Person.objects.none(),
        help_text=_("Managers and leaders with a login: type a name to search them all."),
    )
    scheduled_at = forms.DateTimeField(
        label=_("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )

    def __init__(
        self,
        *args,
        stages: QuerySet[InterviewStage],
        interviewers: QuerySet[Person],
        suggested: list[Person],
        search_url: str,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["stage"].queryset = stages
        field = self.fields["interviewer"]
        field.queryset = interviewers
        shown = list(suggested)
        chosen = self.data.get(self.add_prefix("interviewer")) if self.is_bound else None
        if (pk := parse_id(str(chosen))) is not None and all(person.pk != pk for person in shown):
            shown = list(interviewers.filter(pk=pk)) + shown
        # Set after the queryset, which would otherwise make the widget render every choice.
        field.widget.choices = [("", "---------"), *((person.pk, interviewer_label(person)) for person in shown)]
        field.widget.attrs.update(
            {"data-picker": "remote", "data-url": search_url, "data-placeholder": _("Type a name…")}
        )
        self.helper = _helper(_("Schedule interview"))
        self.helper.layout = Layout("stage", "interviewer", "scheduled_at")


def interviewer_label(person: Person) -> str:
    """How the picker names a possible interviewer (the search endpoint answers the same)."""
    return f"{person.full_name} · {person.title}" if person.title else person.full_name


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Application.Decision.choices, widget=forms.RadioSelect)
    rationale = forms.CharField(label=_("Rationale"), widget=forms.Textarea(attrs={"rows": 3}))
    external_id = forms.CharField(
        label=_("HR id of the new hire"),
        max_length=100,
        required=False,
        help_text=_("For a hire: needed when the candidate is not an employee yet."),
    )
    start_date = forms.DateField(
        label=_("Start date"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("For a hire: the day they take the role (the requisition's target start if empty)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record decision"))
        # The new hire's fields show only while Hire is chosen: a CSS rule (`:has`), no script; a browser
        # without `:has` shows them always, labelled for a hire.
        self.helper.form_class = "decision-form"
        self.helper.layout = Layout(
            "decision", "rationale", Div("external_id", "start_date", css_class="hire-only", data_testid="hire-only")
        )


class CloseOutForm(forms.Form):
    """After a hire: which of the other active candidates to close, how, and the message recorded on
    each (the rejection's rationale, or the withdrawal's note). The page lists the candidates itself."""

    OUTCOMES = [
        (Application.Stage.REJECTED.value, _("Reject them (final)")),
        (Application.Stage.WITHDRAWN.value, _("Withdraw them (they can come back for another opening)")),
    ]
    applications = IdModelMultipleChoiceField(
        label=_("Candidates"), queryset=Application.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    outcome = forms.ChoiceField(label=_("Close them out by"), choices=OUTCOMES, widget=forms.RadioSelect)
    message = forms.CharField(
        label=_("Message"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded on each application as the reason."),
    )

    def __init__(self, *args, applications: QuerySet[Application], **kwargs):
        kwargs.setdefault(
            "initial",
            {"outcome": Application.Stage.REJECTED.value, "message": _("The position has been filled.")},
        )
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = applications


class ScorecardForm(forms.Form):
    """A rating (or "not assessed") and evidence per focus competency, the recommendation and the summary.
    `rows` pairs each rating with its fields, so the page shows the competency's anchors beside them."""

    recommendation = forms.ChoiceField(
        label=_("Overall recommendation"),
        choices=[("", _("Not yet")), *Scorecard.Recommendation.choices],
        required=False,
        widget=forms.RadioSelect,
    )
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, scorecard: Scorecard, ratings, questions: dict[int, list[str]], **kwargs):
        initial = {"recommendation": scorecard.recommendation, "summary": scorecard.summary}
        for row in ratings:
            initial[f"rating_{row.competency_id}"] = row.rating or ""
            initial[f"evidence_{row.competency_id}"] = row.evidence
        super().__init__(*args, initial=initial, **kwargs)
        self.rows = []
        for row in ratings:
            rating, evidence = add_rating_fields(
                self,
                row.competency_id,
                prefix="rating",
                label=_("Rating"),
                none_label=_("Not assessed"),
                evidence_label=_("Evidence"),
                evidence_help=_("What the candidate said or did that supports the rating."),
            )
            own_questions = questions.get(row.competency_id) or row.competency.question_list
            self.rows.append((row.competency, rating, evidence, own_questions))

    def mark_missing_evidence(self) -> None:
        """Puts "evidence needed" beside each rating given without evidence (the service refused the submit)."""
        for _competency, rating, evidence, _questions in self.rows:
            if self.cleaned_data.get(rating.name) is not None and not self.cleaned_data.get(evidence.name, "").strip():
                self.add_error(evidence.name, _("Give the evidence for this rating."))

    def ratings(self) -> dict[int, RatingInput]:
        return {
            competency.pk: RatingInput(
                self.cleaned_data[f"rating_{competency.pk}"], self.cleaned_data[f"evidence_{competency.pk}"]
            )
            for competency, _rating, _evidence, _questions in self.rows
        }


class AmendmentForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
    note = forms.CharField(label=_("Amendment"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add amendment"))
