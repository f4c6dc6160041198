from django.apps import AppConfig


class ManagersConfig(AppConfig):
    """The manager role: role charters, the competency framework and hiring."""

    name = "managers"
    verbose_name = "Managers"
