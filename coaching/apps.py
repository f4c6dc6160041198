from django.apps import AppConfig


class CoachingConfig(AppConfig):
    """Development: assessments, gaps, coaching plans, pulse surveys, recognition and reminders."""

    name = "coaching"
    verbose_name = "Coaching"

    def ready(self) -> None:
        from coaching import receivers
        from managers.signals import candidate_hired

        candidate_hired.connect(receivers.start_development_of_hire, dispatch_uid="coaching.start_development_of_hire")
