from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

from enablement.scim.casefold import register_casefold


class ScimConfig(AppConfig):
    """SCIM 2.0 provisioning at /scim/v2/: identity providers create, change and end people's logins and
    manage access-group membership."""

    name = "enablement.scim"
    label = "scim"
    verbose_name = _("SCIM provisioning")

    def ready(self) -> None:
        connection_created.connect(register_casefold, dispatch_uid="scim-casefold")
