"""The people directory's filters."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from enablement.models import Person, Team


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Person.EmploymentStatus.choices]
    )
    team = forms.ModelChoiceField(
        label=_("Team"), required=False, queryset=Team.objects.none(), empty_label=_("Any team")
    )
    leads = forms.BooleanField(label=_("Leads a team"), required=False)

    def __init__(self, *args, teams: QuerySet[Team], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                Column("q", css_class="col-md-4"),
                Column("status", css_class="col-md-2"),
                Column("team", css_class="col-md-3"),
                Column("leads", css_class="col-md-2 pt-md-4"),
                Column(Submit("filter", _("Filter"), css_class="mt-md-4"), css_class="col-md-1"),
            )
        )
