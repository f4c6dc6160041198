"""What every hiring viewset shares: the token scopes, the JSON parser, the independence message and the
id filter of list endpoints."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.request import Request

from enablement.api.base import ServiceViewSet

HIRING_SCOPES = {"read": "hiring:read", "write": "hiring:write"}
INDEPENDENCE_MESSAGE = _(
    "Submit your own scorecard first: until then the others' feedback stays hidden, so that yours is independent."
)


def _id_param(request: Request, name: str) -> int | None:
    value = request.query_params.get(name)
    if value is None:
        return None
    if not (value.isascii() and value.isdigit()):
        raise ValidationError({name: [_("Give the id of a %(name)s.") % {"name": name}]})
    return int(value)


class HiringViewSet(ServiceViewSet):
    required_scopes = HIRING_SCOPES
    parser_classes = [JSONParser]
