"""Support views of coaching. Assessments, plans and their goals, tasks and sessions are written on the
coaching pages and through the API, where the policy applies; here they are read. The activity library
is edited here too, through its services, and activities are retired rather than deleted."""

from django import forms
from django.contrib import admin

from coaching.models import (
    Assessment,
    AssessmentRating,
    CoachingPlan,
    CoachingSession,
    CoachingTask,
    DevelopmentActivity,
    Goal,
    LeaverHandover,
)
from coaching.services.plans import ACTIVITY_FIELDS, activity_create, activity_update
from managers.admin import ReadOnlyInline, ViewOnlyAdmin


class AssessmentRatingInline(ReadOnlyInline):
    model = AssessmentRating
    fields = ["competency", "level", "evidence"]
    readonly_fields = fields


@admin.register(Assessment)
class AssessmentAdmin(ViewOnlyAdmin):
    list_display = ["person", "source", "status", "assessed_on", "assessor"]
    list_filter = ["source", "status"]
    search_fields = ["person__first_name", "person__last_name", "person__external_id"]
    list_select_related = ["person", "assessor"]
    inlines = [AssessmentRatingInline]


class GoalInline(ReadOnlyInline):
    model = Goal
    fields = ["title", "competency", "baseline_level", "target_level", "due_on", "state"]
    readonly_fields = fields


class TaskInline(ReadOnlyInline):
    model = CoachingTask
    fields = ["title", "kind", "assignee", "due_on", "state", "completed_at", "completed_by"]
    readonly_fields = fields


class SessionInline(ReadOnlyInline):
    model = CoachingSession
    fields = ["held_on", "notes", "recorded_by"]
    readonly_fields = fields


@admin.register(CoachingPlan)
class CoachingPlanAdmin(ViewOnlyAdmin):
    list_display = ["title", "coachee", "coach", "state", "period_start", "period_end"]
    list_filter = ["state"]
    search_fields = ["title", "coachee__first_name", "coachee__last_name", "coach__last_name"]
    list_select_related = ["coachee", "coach"]
    inlines = [GoalInline, TaskInline, SessionInline]


@admin.register(CoachingTask)
class CoachingTaskAdmin(ViewOnlyAdmin):
    list_display = ["title", "assignee", "plan", "due_on", "state"]
    list_filter = ["state", "kind"]
    search_fields = ["title", "assignee__last_name"]
    list_select_related = ["assignee", "plan"]


@admin.register(LeaverHandover)
class LeaverHandoverAdmin(ViewOnlyAdmin):
    list_display = [
        "leaver",
        "successor",
        "flag_for",
        "plans_handed_over",
        "open_tasks",
        "own_plans_archived",
        "created_at",
    ]
    search_fields = ["leaver__first_name", "leaver__last_name", "leaver__external_id"]
    list_select_related = ["leaver", "successor", "flag_for"]


class DevelopmentActivityForm(forms.ModelForm):
    class Meta:
        model = DevelopmentActivity
        fields = ["competency", *ACTIVITY_FIELDS]


@admin.register(DevelopmentActivity)
class DevelopmentActivityAdmin(admin.ModelAdmin):
    form = DevelopmentActivityForm
    list_display = ["title", "competency", "kind", "duration_days", "is_active"]
    list_filter = ["kind", "is_active", "competency"]
    search_fields = ["title", "description"]
    list_select_related = ["competency"]

    def get_readonly_fields(self, request, obj=None):
        return ["competency"] if obj else []

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        values = {name: form.cleaned_data[name] for name in ACTIVITY_FIELDS}
        if change:
            activity_update(activity=DevelopmentActivity.objects.get(pk=obj.pk), by=request.user, **values)
        else:
            saved = activity_create(competency=form.cleaned_data["competency"], by=request.user, **values)
            obj.pk = saved.pk
