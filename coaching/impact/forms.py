from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from enablement.web.widgets import ChoicesSelect


class ImpactFilterForm(forms.Form):
    """Narrows the Manager impact page; choices are the directors, roles and teams of the leader's managers."""

    director = forms.TypedChoiceField(
        label=_("Director"), required=False, coerce=int, empty_value=None, widget=ChoicesSelect
    )
    role = forms.TypedChoiceField(label=_("Role"), required=False, coerce=int, empty_value=None, widget=ChoicesSelect)
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int, empty_value=None, widget=ChoicesSelect)
    attention = forms.BooleanField(label=_("Only those who need attention"), required=False)

    def __init__(self, *args, directors, roles, teams, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["director"].choices = [("", _("All directors")), *directors]
        self.fields["role"].choices = [("", _("All roles")), *roles]
        self.fields["team"].choices = [("", _("All teams")), *teams]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                Column("director", css_class="col-md-3"),
                Column("role", css_class="col-md-3"),
                Column("team", css_class="col-md-3"),
                Column("attention", Submit("filter", _("Filter"), css_class="btn-sm"), css_class="col-md-3"),
            )
        )
