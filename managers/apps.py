from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ManagersConfig(AppConfig):
    """The manager role: role charters, the competency framework and hiring."""

    name = "managers"
    verbose_name = "Managers"

    def ready(self) -> None:
        from enablement.notifications.registry import register_kind
        from enablement.org.demo import register_demo_step
        from enablement.org.extensions import register_extension
        from enablement.web.navigation import HomeDestination, NavItem, register, register_home
        from enablement.webhooks.events import register_event_type
        from managers import policy, webhook_events
        from managers.demo.charters import seed_charters_demo
        from managers.demo.hiring import seed_hiring_demo
        from managers.hiring_reminders import HIRING_REMINDER_KINDS
        from managers.people_sync import ROLE_EXTENSION
        from managers.reminders import CHARTER_REMINDER_KINDS
        from managers.support_reminders import SUPPORT_RATING_REMINDER_KINDS, SUPPORT_REQUEST_REMINDER_KINDS

        register_extension(ROLE_EXTENSION)
        for event_type in webhook_events.EVENT_TYPES:
            register_event_type(event_type)
        webhook_events.connect()
        register_demo_step("managers.charters", seed_charters_demo)
        register_demo_step("managers.hiring", seed_hiring_demo)
        register(NavItem(_("Charters"), "managers:role-list", policy.can_manage_charters, order=40))
        register(NavItem(_("My charter"), "managers:my-charter", policy.holds_a_charter_role, order=15))
        register(NavItem(_("Hiring"), "managers:hiring-home", policy.can_see_hiring, order=50))
        register(NavItem(_("Competencies"), "managers:competency-list", policy.can_manage_competencies, order=45))
        register(NavItem(_("Support"), "managers:support-list", policy.has_support_page, order=35))
        register_home(HomeDestination("managers:my-charter", policy.has_charter_to_acknowledge))
        register_home(HomeDestination("managers:support-list", policy.answers_support_requests), urgent=False)
        support_kinds = (*SUPPORT_RATING_REMINDER_KINDS, *SUPPORT_REQUEST_REMINDER_KINDS)
        for kind in (*CHARTER_REMINDER_KINDS, *HIRING_REMINDER_KINDS, *support_kinds):
            register_kind(kind)
