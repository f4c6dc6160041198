from django.apps import AppConfig


class CoachingConfig(AppConfig):
    """Development: assessments, gaps, coaching plans, pulse surveys, recognition and reminders."""

    name = "coaching"
    verbose_name = "Coaching"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from coaching import policy, receivers, webhook_events
        from coaching.demo.seed import seed_coaching_demo
        from coaching.impact.demo import seed_impact_demo
        from coaching.reminders import COACHING_REMINDER_KINDS
        from enablement.notifications.registry import register_kind
        from enablement.org.demo import register_demo_step
        from enablement.org.signals import person_terminated
        from enablement.web.navigation import (
            HomeDestination,
            NavItem,
            PersonLink,
            register,
            register_home,
            register_person_link,
            register_team_page,
        )
        from enablement.webhooks.events import register_event_type
        from managers.signals import candidate_hired

        candidate_hired.connect(receivers.start_development_of_hire, dispatch_uid="coaching.start_development_of_hire")
        person_terminated.connect(receivers.hand_over_leavers_plans, dispatch_uid="coaching.hand_over_leavers_plans")
        for event_type in webhook_events.EVENT_TYPES:
            register_event_type(event_type)
        webhook_events.connect()
        register(NavItem(_("Manager impact"), "coaching:impact", policy.can_see_impact, order=11))
        register_home(HomeDestination("coaching:impact", policy.can_see_impact), urgent=False)
        register(NavItem(_("Development gaps"), "coaching:heatmap", policy.can_see_heatmap, order=12))
        register(NavItem(_("My impact"), "coaching:my-impact", policy.has_impact_card, order=14))
        register(NavItem(_("My development"), "coaching:my-development", policy.has_development, order=16))
        register(NavItem(_("My team"), "coaching:team", policy.coaches_anyone, order=20))
        register_team_page("coaching:team")
        register_home(HomeDestination("coaching:my-development", policy.has_development), fallback=True)
        label = _("Development: plan, gaps and 1:1s")
        development = PersonLink(label, "coaching:person-gaps", policy.can_see_development_of)
        register_person_link(development)
        register_demo_step("coaching.demo", seed_coaching_demo)
        for kind in COACHING_REMINDER_KINDS:
            register_kind(kind)
        from coaching.pulse.registration import register_pulse_and_recognition

        register_pulse_and_recognition()
        # Support and 1:1s, after charters, coaching and the pulses whose bands the impact page shows.
        register_demo_step("coaching.impact", seed_impact_demo)
