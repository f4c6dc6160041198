"""Creating an API client: a name and its scopes."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from enablement.api.scopes import API_SCOPES
from enablement.models import ApiClient


class ApiClientForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=ApiClient._meta.get_field("name").max_length,
        help_text=_('The system that will use the token, e.g. "Workday people sync".'),
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Give only what the system needs: each endpoint refuses a token without its scope."),
    )
    hr_admin = forms.BooleanField(
        label=_("Sees what an HR admin sees"),
        required=False,
        help_text=_(
            "Without it the client sees only what every signed-in account sees (such as the competency "
            "framework). An HR system that syncs people needs it."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = [
            (scope, f"{scope} — {description}") for scope, description in API_SCOPES.items()
        ]
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Create client and token")))
