import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from enablement.webhooks.events import subscribable_event_types
from enablement.webhooks.models import WebhookEndpoint, validate_webhook_url


def url_help_text() -> str:
    """What this server accepts, as `validate_webhook_url` and the sender decide it (WEBHOOK_ALLOW_PRIVATE_HOSTS)."""
    if settings.WEBHOOK_ALLOW_PRIVATE_HOSTS:
        return _(
            "Where to POST events. This server also accepts receivers on this machine or a private network, "
            "over plain http for localhost, for testing (WEBHOOK_ALLOW_PRIVATE_HOSTS is on)."
        )
    return _(
        "Where to POST events: an https address on the internet. This server refuses localhost and private "
        "addresses; to test a receiver on your own machine, run with WEBHOOK_ALLOW_PRIVATE_HOSTS=true "
        "(make run does)."
    )


def code_spans(text: str) -> SafeString:
    """Text whose `backticked` words (event and field names in the contracts) show as code, the rest escaped."""
    parts = re.split(r"`([^`]+)`", str(text))
    html = "".join(f"<code>{escape(part)}</code>" if index % 2 else escape(part) for index, part in enumerate(parts))
    return mark_safe(html)  # noqa: S308 - every part is escaped; only the <code> tags are ours


class WebhookEndpointForm(forms.Form):
    url = forms.URLField(
        label=_("URL"),
        max_length=WebhookEndpoint._meta.get_field("url").max_length,
        assume_scheme="https",
        validators=[validate_webhook_url],
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
        self.fields["url"].help_text = url_help_text()
        self.fields["event_types"].choices = [
            (event.name, code_spans(f"`{event.name}` — {event.description}")) for event in subscribable_event_types()
        ]
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", submit_label))
