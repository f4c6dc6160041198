from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from enablement.api_scopes import API_SCOPES
from enablement.models import ApiClient, Person, Team


class SignInForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Sign in"), css_class="w-100"))


class ChangePasswordForm(PasswordChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Change password")))


class PersonFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *Person.EmploymentStatus.choices]
    )
    team = forms.ModelChoiceField(
        label=_("Team"), required=False, queryset=Team.objects.none(), empty_label=_("Any team")
    )

    def __init__(self, *args, teams: QuerySet[Team], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                Column("q", css_class="col-md-5"),
                Column("status", css_class="col-md-3"),
                Column("team", css_class="col-md-3"),
                Column(Submit("filter", _("Filter"), css_class="mt-md-4"), css_class="col-md-1"),
            )
        )


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
