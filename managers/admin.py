"""Support views of the competency framework and hiring.

Competencies are edited here through their services and retired, never deleted. Role requirements are
plain rows guarded by their constraints. Hiring records are written on the hiring pages, where the
policy applies; here they are read, except a candidate's contact details. Scorecards are view-only for
everyone, superusers included: what an interviewer submitted stays what the others read.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from managers.models import (
    Application,
    ApplicationEvent,
    Candidate,
    Competency,
    InterviewStage,
    Requisition,
    RoleCompetency,
    Scorecard,
    ScorecardAmendment,
    ScorecardRating,
    SupportFunction,
    SupportRequest,
    SupportRequestEntry,
)
from managers.services.competencies import COMPETENCY_FIELDS, competency_create, competency_update


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ViewOnlyAdmin(admin.ModelAdmin):
    """Lists and shows; adds, changes and deletes nothing, whoever asks."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


# The competency framework


class CompetencyAdminForm(forms.ModelForm):
    class Meta:
        model = Competency
        fields = ("key", *COMPETENCY_FIELDS)


@admin.register(Competency)
class CompetencyAdmin(admin.ModelAdmin):
    """Saves through `competency_create` / `competency_update`. The form runs the same model validation
    first, so a missing anchor is shown on the form and nothing is saved. A competency is retired, never
    deleted: ratings and role requirements refer to it."""

    form = CompetencyAdminForm
    list_display = ("name", "key", "kind", "is_active", "updated_at")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "key", "description")
    actions = ["retire"]

    def get_readonly_fields(self, request, obj=None):
        # The key stays once created: ratings and other systems refer to it.
        return ("key", "created_at", "updated_at") if obj else ()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        if change:
            stored = Competency.objects.get(pk=obj.pk)
            data = {name: form.cleaned_data[name] for name in form.changed_data if name in COMPETENCY_FIELDS}
            competency_update(competency=stored, by=request.user, **data)
        else:
            data = {name: form.cleaned_data[name] for name in COMPETENCY_FIELDS if name in form.cleaned_data}
            obj.pk = competency_create(key=form.cleaned_data["key"], by=request.user, **data).pk
        obj.refresh_from_db()

    @admin.action(description=_("Retire the selected competencies"), permissions=["change"])
    def retire(self, request, queryset):
        retiring = list(queryset.filter(is_active=True))
        for competency in retiring:
            competency_update(competency=competency, by=request.user, is_active=False)
        self.message_user(request, _("%(count)s competency(ies) retired.") % {"count": len(retiring)})


class RoleCompetencyAdminForm(forms.ModelForm):
    class Meta:
        model = RoleCompetency
        fields = ("role", "competency", "required_level", "weight")

    def clean_competency(self):
        competency = self.cleaned_data["competency"]
        # The same rule as `role_requirements_save`: a retired competency is kept where it is, not added anew.
        if competency and not competency.is_active and competency.pk != self.instance.competency_id:
            raise forms.ValidationError(_("%(name)s is retired.") % {"name": competency.name})
        return competency


@admin.register(RoleCompetency)
class RoleCompetencyAdmin(admin.ModelAdmin):
    form = RoleCompetencyAdminForm
    list_display = ("role", "competency", "required_level", "weight")
    list_filter = ("role", "competency__kind")
    search_fields = ("role__name", "role__code", "competency__name", "competency__key")
    list_select_related = ("role", "competency")
    ordering = ("role__name", "-weight", "competency__name")


# Hiring


class InterviewStageInline(ReadOnlyInline):
    model = InterviewStage
    fields = ("position", "name", "duration_minutes", "covers")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("focus__competency")

    @admin.display(description=_("competencies covered"))
    def covers(self, stage: InterviewStage) -> str:
        return ", ".join(focus.competency.name for focus in stage.focus.all())


@admin.register(Requisition)
class RequisitionAdmin(ViewOnlyAdmin):
    """Requisitions are opened and changed on the hiring pages, by their recruiter or hiring manager."""

    list_display = ("title", "role", "hiring_manager", "recruiter", "status", "target_start", "external_id")
    list_filter = ("status", "role")
    search_fields = ("title", "external_id", "hiring_manager__first_name", "hiring_manager__last_name")
    list_select_related = ("role", "hiring_manager", "recruiter")
    date_hierarchy = "created_at"
    inlines = [InterviewStageInline]


class CandidateAdminForm(forms.ModelForm):
    profile_url = forms.URLField(label=_("profile link"), required=False, assume_scheme="https")

    class Meta:
        model = Candidate
        fields = ("first_name", "last_name", "email", "phone", "profile_url")

    def clean_email(self) -> str:
        # Stored lower-case, as `candidate_upsert` stores it, so the ATS import finds the candidate again.
        return self.cleaned_data["email"].strip().lower()


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    """Support fixes a candidate's contact details; candidates come from the ATS and the hiring pages."""

    form = CandidateAdminForm
    list_display = ("full_name", "email", "phone", "external_id", "person")
    search_fields = ("first_name", "last_name", "email", "external_id")
    list_select_related = ("person",)
    fields = (
        "first_name",
        "last_name",
        "email",
        "phone",
        "profile_url",
        "external_id",
        "person",
        "created_at",
        "updated_at",
    )
    readonly_fields = ("external_id", "person", "created_at", "updated_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        # The form validated the row (the case-insensitive unique email included); only what changed is saved.
        if form.changed_data:
            obj.save(update_fields=[*form.changed_data, "updated_at"])


class ApplicationEventInline(ReadOnlyInline):
    model = ApplicationEvent
    fields = ("created_at", "from_stage", "to_stage", "actor", "note")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(Application)
class ApplicationAdmin(ViewOnlyAdmin):
    """Stage moves and decisions happen on the pipeline and candidate pages, where they are recorded."""

    list_display = ("candidate", "requisition", "stage", "stage_changed_at", "decision", "decided_at")
    list_filter = ("stage", ("requisition", admin.RelatedOnlyFieldListFilter))
    search_fields = ("candidate__first_name", "candidate__last_name", "candidate__email", "requisition__title")
    list_select_related = ("candidate", "requisition")
    inlines = [ApplicationEventInline]


class ScorecardRatingInline(ReadOnlyInline):
    model = ScorecardRating
    fields = ("competency", "rating", "evidence")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("competency")


class ScorecardAmendmentInline(ReadOnlyInline):
    model = ScorecardAmendment
    fields = ("created_at", "author", "reason", "note")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


@admin.register(Scorecard)
class ScorecardAdmin(ViewOnlyAdmin):
    """View-only for everyone, superusers included; an interviewer corrects a submitted scorecard with an
    amendment on the scorecard page."""

    list_display = ("candidate", "interview_name", "interviewer", "status", "recommendation", "submitted_at")
    list_filter = ("status", "recommendation")
    search_fields = (
        "interview__application__candidate__first_name",
        "interview__application__candidate__last_name",
        "interview__interviewer__first_name",
        "interview__interviewer__last_name",
    )
    list_select_related = ("interview__application__candidate", "interview__stage", "interview__interviewer")
    fields = ("interview", "status", "recommendation", "summary", "submitted_at", "created_at", "updated_at")
    inlines = [ScorecardRatingInline, ScorecardAmendmentInline]

    def get_queryset(self, request):
        # The change page's title and the read-only `interview` field render Interview.__str__.
        return (
            super()
            .get_queryset(request)
            .select_related("interview__application__candidate", "interview__stage", "interview__interviewer")
        )

    @admin.display(description=_("candidate"), ordering="interview__application__candidate__last_name")
    def candidate(self, scorecard: Scorecard):
        return scorecard.interview.application.candidate

    @admin.display(description=_("interview"), ordering="interview__stage__name")
    def interview_name(self, scorecard: Scorecard):
        return scorecard.interview.stage

    @admin.display(description=_("interviewer"), ordering="interview__interviewer__last_name")
    def interviewer(self, scorecard: Scorecard):
        return scorecard.interview.interviewer


# Support: functions are kept here (who answers what is raised to RevOps, Marketing...); requests are read
# here and worked on their pages, where the owner, the raiser and the reminders' rules apply.


@admin.register(SupportFunction)
class SupportFunctionAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "owner__first_name", "owner__last_name")
    raw_id_fields = ("owner",)


class SupportRequestEntryInline(ReadOnlyInline):
    model = SupportRequestEntry
    fields = ("created_at", "author", "event", "body")
    readonly_fields = fields


@admin.register(SupportRequest)
class SupportRequestAdmin(ViewOnlyAdmin):
    list_display = ("title", "raised_by", "owner", "function", "state", "created_at", "first_response_at")
    list_filter = ("state", "kind", "function")
    search_fields = ("title",)
    inlines = [SupportRequestEntryInline]
