"""What the pulse and recognition parts add to the platform's registries, called once from
`CoachingConfig.ready()`: navigation, reminder kinds, the beat schedule, the demo step and the admin (the
`recognition.given` event type is among `coaching.webhook_events.EVENT_TYPES`)."""

from django.utils.translation import gettext_lazy as _


def register_pulse_and_recognition() -> None:
    from coaching.pulse import views
    from enablement.web.navigation import NavItem, register

    register(NavItem(_("Team pulse"), "coaching:pulse-home", views.has_pulse_page, order=18))
    from coaching.recognition import views as recognition_views

    register(NavItem(_("Recognition"), "coaching:recognition-feed", recognition_views.can_recognise, order=19))
    from coaching.pulse.reminders import PULSE_REMINDER_KINDS
    from enablement.notifications.registry import register_kind

    for kind in PULSE_REMINDER_KINDS:
        register_kind(kind)
    from django.apps import apps
    from django.db.models.signals import post_migrate

    from coaching.pulse import tasks

    post_migrate.connect(
        tasks.ensure_advance_schedule,
        sender=apps.get_app_config("coaching"),
        dispatch_uid="coaching.pulse.advance_schedule",
    )
    from coaching.demo.pulse import seed_pulse_demo
    from enablement.org.demo import register_demo_step

    register_demo_step("coaching.pulse_demo", seed_pulse_demo)  # after coaching's own step: ready() orders them
    from coaching.pulse import admin as pulse_admin

    pulse_admin.register()
