"""Small pieces every app's pages share for answering a service's ValidationError."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def report_errors(request: HttpRequest, error: ValidationError) -> None:
    """A service's refusal, as error messages on the next page (for commands posted from a list)."""
    for message in error.messages:
        messages.error(request, message)


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's ValidationError onto the form that fed it: messages of a field the form has go beside
    that field, the others above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)
