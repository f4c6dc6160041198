"""What every hiring viewset shares: the token scopes, the checking JSON parser and the independence message."""

from django.utils.translation import gettext_lazy as _

from enablement.api.base import ServiceViewSet
from enablement.api.parsers import JSONParser

HIRING_SCOPES = {"read": "hiring:read", "write": "hiring:write"}
INDEPENDENCE_MESSAGE = _(
    "Submit your own scorecard first: until then the others' feedback stays hidden, so that yours is independent."
)


class HiringViewSet(ServiceViewSet):
    required_scopes = HIRING_SCOPES
    parser_classes = [JSONParser]
