from django.apps import AppConfig


class CoachingConfig(AppConfig):
    """Development: assessments, gaps, coaching plans, pulse surveys, recognition and reminders."""

    name = "coaching"
    verbose_name = "Coaching"
