from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EnablementConfig(AppConfig):
    """The platform every app leans on: people and teams, accounts and permissions."""

    name = "enablement"
    verbose_name = _("Organization")

    def ready(self) -> None:
        from django.urls import register_converter

        from enablement.accounts import policy
        from enablement.bootstrap import ensure_platform_defaults
        from enablement.org.events import PERSON_EVENT_TYPES
        from enablement.web.converters import IdConverter
        from enablement.web.navigation import NavItem, register
        from enablement.webhooks.events import register_event_type

        register_converter(IdConverter, "id")  # before any URLconf is read: every app's ids use it
        post_migrate.connect(ensure_platform_defaults, sender=self, dispatch_uid="enablement-defaults")
        for event_type in PERSON_EVENT_TYPES:
            register_event_type(event_type)
        # "My team" is the coaching app's team page (`register_team_page`); /team/ sends people there.
        register(NavItem(_("People"), "enablement:person-list", policy.can_browse_people, order=30))
        register(NavItem(_("API clients"), "enablement:api-client-list", policy.can_manage_api_clients, order=90))
