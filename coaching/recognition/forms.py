"""Giving recognition: shape only. The rules (not yourself, the daily cap, a tag or a competency) are
`coaching.recognition.services.recognition_give`'s; the view puts its refusals back on this form, so
what was typed stays."""

from crispy_forms.bootstrap import InlineCheckboxes, InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from coaching.models import Recognition, RecognitionTag
from enablement.models import Person
from managers.models import Competency

REASON_MAX_CHARS = 2000


class RecognitionForm(forms.Form):
    recipient = forms.ModelChoiceField(label=_("Who"), queryset=Person.objects.none())
    reason = forms.CharField(
        label=_("What they did"),
        max_length=REASON_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Be specific: the deal, the call, the moment."),
    )
    tags = forms.MultipleChoiceField(
        label=_("Behaviour"), choices=RecognitionTag.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    competency = forms.ModelChoiceField(
        label=_("Or a competency"), queryset=Competency.objects.none(), required=False, empty_label=_("None")
    )
    visibility = forms.ChoiceField(
        label=_("Who sees it"),
        choices=Recognition.Visibility.choices,
        initial=Recognition.Visibility.TEAM,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, recipients: QuerySet[Person], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = recipients
        self.fields["competency"].queryset = Competency.objects.filter(is_active=True)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "recipient", "reason", InlineCheckboxes("tags"), "competency", InlineRadios("visibility")
        )
        self.helper.add_input(Submit("submit", _("Say thanks")))
