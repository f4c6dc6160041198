from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScimConfig(AppConfig):
    """SCIM 2.0 provisioning at /scim/v2/: identity providers create, change and end people's logins and
    manage access-group membership."""

    name = "enablement.scim"
    label = "scim"
    verbose_name = _("SCIM provisioning")
