from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from enablement.webhooks.events import subscribable_event_types
from enablement.webhooks.models import WebhookEndpoint, validate_webhook_url


class WebhookEndpointForm(forms.Form):
    url = forms.URLField(
        label=_("URL"),
        max_length=WebhookEndpoint._meta.get_field("url").max_length,
        assume_scheme="https",
        validators=[validate_webhook_url],
        help_text=_("Where to POST events. https, except for localhost while testing a receiver."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=WebhookEndpoint._meta.get_field("description").max_length,
        required=False,
        help_text=_('The system that receives them, e.g. "Workday hiring integration".'),
    )
    event_types = forms.MultipleChoiceField(
        label=_("Event types"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick none to receive every event type, including ones added later."),
    )

    def __init__(self, *args, submit_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event_types"].choices = [
            (event.name, f"{event.name} — {event.description}") for event in subscribable_event_types()
        ]
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", submit_label))
