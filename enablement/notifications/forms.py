import zoneinfo

from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from enablement.models import NotificationPreference
from enablement.notifications.registry import all_kinds


class NotificationPreferencesForm(forms.Form):
    # About 600 zones: searchable as you type (enablement/static/enablement/pickers.js), a plain list without JS.
    timezone = forms.ChoiceField(label=_("Time zone"), widget=forms.Select(attrs={"data-picker": "search"}))
    digest_hour = forms.TypedChoiceField(
        label=_("Send my daily digest at"), coerce=int, choices=[(hour, f"{hour:02d}:00") for hour in range(24)]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = [(name, name) for name in sorted(zoneinfo.available_timezones())]
        for kind in all_kinds():
            self.fields[self.field_name(kind.name)] = forms.ChoiceField(
                label=kind.label, choices=NotificationPreference.Mode.choices, widget=forms.RadioSelect
            )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "timezone", "digest_hour", *(InlineRadios(self.field_name(kind.name)) for kind in all_kinds())
        )
        self.helper.add_input(Submit("save", _("Save preferences")))

    @staticmethod
    def field_name(kind_name: str) -> str:
        return "mode__" + kind_name.replace(".", "__")

    def modes(self) -> dict[str, str]:
        return {kind.name: self.cleaned_data[self.field_name(kind.name)] for kind in all_kinds()}
