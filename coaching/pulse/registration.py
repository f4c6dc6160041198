"""What the pulse and recognition parts add to the platform's registries, called once from
`CoachingConfig.ready()`: navigation, reminder kinds, the demo step and the webhook event type."""

from django.utils.translation import gettext_lazy as _


def register_pulse_and_recognition() -> None:
    from coaching.pulse import views
    from enablement.web.navigation import NavItem, register

    register(NavItem(_("Team pulse"), "coaching:pulse-home", views.has_pulse_page, order=18))
