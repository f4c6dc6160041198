"""Admin for the question bank (edited by sales leaders), pulses (counts only), actions and recognition.
Answers, comments, invitations and ballot boxes have no admin page on purpose (README, "Team pulse")."""

from django.contrib import admin

from coaching.models import FeedbackAction, Pulse, PulseQuestion, Recognition


class PulseQuestionAdmin(admin.ModelAdmin):
    list_display = ["key", "text", "lever", "competency", "scale", "is_active"]
    list_filter = ["lever", "scale", "is_active"]


class PulseAdmin(admin.ModelAdmin):
    list_display = ["series", "opens_on", "closes_on", "state", "invited_count", "respondent_count"]
    list_filter = ["state"]
    readonly_fields = ["invited_count", "respondent_count", "released_at", "state"]


class RecognitionAdmin(admin.ModelAdmin):
    list_display = ["giver", "recipient", "visibility", "counts", "flag", "created_at"]
    list_filter = ["flag", "counts", "visibility"]


def register() -> None:
    for model, model_admin in (
        (PulseQuestion, PulseQuestionAdmin),
        (Pulse, PulseAdmin),
        (FeedbackAction, admin.ModelAdmin),
        (Recognition, RecognitionAdmin),
    ):
        if not admin.site.is_registered(model):
            admin.site.register(model, model_admin)
