from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    """Outbound webhooks: endpoints, the outbox of events, and their deliveries."""

    name = "enablement.webhooks"
    label = "webhooks"
    verbose_name = _("Webhooks")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from enablement.bootstrap import ensure_platform_defaults
        from enablement.web.navigation import NavItem, register
        from enablement.webhooks.events import TEST_EVENT, register_event_type
        from enablement.webhooks.policy import can_manage_webhooks

        # This app migrates after `enablement`, so its permissions exist only now: give them to HR admins.
        post_migrate.connect(ensure_platform_defaults, sender=self, dispatch_uid="webhooks-defaults")
        register(NavItem(_("Webhooks"), "webhooks:endpoint-list", can_manage_webhooks, order=95))
        register_event_type(TEST_EVENT)
