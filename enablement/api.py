"""Pieces every app's API shares: bearer-token authentication, token scopes checked per viewset, service
errors answered as 400s, and the base viewset that reads with an output serializer and runs commands
through services."""

from collections.abc import Mapping

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, permissions, viewsets
from rest_framework.serializers import BaseSerializer
from rest_framework.settings import api_settings
from rest_framework.utils.serializer_helpers import ReturnDict

from enablement.authentication import TokenAuthentication
from enablement.permissions import ScopedPermission

__all__ = ["ScopedPermission", "ServiceErrorsMixin", "ServiceViewSet", "TokenAuthentication", "api_validation_error"]


def api_validation_error(error: DjangoValidationError) -> exceptions.ValidationError:
    """A service's ValidationError as DRF's: `{"field": [...]}` or `{"non_field_errors": [...]}`."""
    if not hasattr(error, "error_dict"):
        return exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: error.messages})
    return exceptions.ValidationError(
        {
            api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field: messages
            for field, messages in error.message_dict.items()
        }
    )


class ServiceErrorsMixin:
    """Answers a django ValidationError raised by a service with a 400 carrying its messages."""

    def handle_exception(self, exc: Exception):
        if isinstance(exc, DjangoValidationError):
            exc = api_validation_error(exc)
        return super().handle_exception(exc)


class ServiceViewSet(ServiceErrorsMixin, viewsets.GenericViewSet):
    """Reads answer with `output_serializer_class`. A command reads its body with the input serializer
    `input_serializer_classes` names for its action (so a generated schema shows what it accepts), calls
    a service and answers with the output serializer. Subclasses declare `required_scopes`."""

    permission_classes = [permissions.IsAuthenticated, ScopedPermission]
    output_serializer_class: type[BaseSerializer]
    input_serializer_classes: Mapping[str, type[BaseSerializer]] = {}

    def get_serializer_class(self) -> type[BaseSerializer]:
        return self.input_serializer_classes.get(self.action, self.output_serializer_class)

    def output(self, instance) -> ReturnDict:
        return self.output_serializer_class(instance, context=self.get_serializer_context()).data
