"""The admin site: each part of the platform registers its own models from its `admin` module."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from enablement.accounts import admin as accounts_admin
from enablement.api.clients import admin as api_clients_admin
from enablement.health import admin as health_admin
from enablement.notifications import admin as notifications_admin
from enablement.org import admin as org_admin

admin.site.site_header = _("Sales-manager enablement")
admin.site.site_title = _("Enablement admin")

__all__ = ["accounts_admin", "api_clients_admin", "health_admin", "notifications_admin", "org_admin"]
