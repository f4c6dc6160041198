from django.apps import AppConfig


class CoachingConfig(AppConfig):
    """Development: assessments, gaps, coaching plans, pulse surveys, recognition and reminders."""

    name = "coaching"
    verbose_name = "Coaching"

    def ready(self) -> None:
        from coaching import receivers
        from managers.signals import candidate_hired

        candidate_hired.connect(receivers.record_hiring_assessment, dispatch_uid="coaching.hiring_assessment")
