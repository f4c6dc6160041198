from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from enablement.api_clients import api_client_revoke
from enablement.models import ApiClient, ApiRequestLog, Person, Reminder, Team, WorkerHeartbeat
from enablement.notifications.services import reminders_retry
from enablement.services import (
    PERSON_FIELDS,
    TEAM_FIELDS,
    person_create,
    person_update,
    person_validate_manager,
    team_create,
    team_update,
    team_validate_parent,
)
from enablement.tasks import deliver_reminder_task

admin.site.site_header = _("Sales-manager enablement")
admin.site.site_title = _("Enablement admin")


class PersonAdminForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = PERSON_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" in self.fields:  # API clients' accounts are machines, never a person's login
            self.fields["user"].queryset = self.fields["user"].queryset.filter(api_client__isnull=True)

    def clean(self):
        cleaned = super().clean()
        # Only a new reporting line is checked: a report of someone who has left stays editable.
        if "manager" in self.changed_data:
            try:
                person_validate_manager(person=self.instance, manager=cleaned.get("manager"))
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class TeamAdminForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = TEAM_FIELDS

    def clean(self):
        cleaned = super().clean()
        if "parent" in self.changed_data:
            try:
                team_validate_parent(team=self.instance, parent=cleaned.get("parent"))
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


class ServiceBackedAdmin(admin.ModelAdmin):
    """Saves through the app's services, so the admin obeys the same rules as every other writer.

    People and teams are never deleted here: people are terminated, teams emptied and re-parented.
    """

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def _create(self, data):
        raise NotImplementedError

    def _update(self, obj, data):
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        if change:
            stored = type(obj).objects.get(pk=obj.pk)
            self._update(stored, {name: form.cleaned_data[name] for name in form.changed_data})
        else:
            obj.pk = self._create(form.cleaned_data).pk
        obj.refresh_from_db()


@admin.register(Person)
class PersonAdmin(ServiceBackedAdmin):
    form = PersonAdminForm
    list_display = ("full_name", "email", "title", "team", "manager", "employment_status", "start_date", "user")
    list_filter = ("employment_status", "team", "start_date")
    search_fields = ("first_name", "last_name", "email", "external_id", "title")
    autocomplete_fields = ("team", "manager", "user")
    list_select_related = ("team", "manager", "user")
    readonly_fields = ("created_at", "updated_at")
    date_hierarchy = "start_date"

    def _create(self, data):
        return person_create(**data)

    def _update(self, obj, data):
        return person_update(person=obj, data=data)


@admin.register(Team)
class TeamAdmin(ServiceBackedAdmin):
    form = TeamAdminForm
    list_display = ("name", "parent", "lead", "external_id")
    list_filter = (("parent", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("name", "external_id")
    autocomplete_fields = ("parent", "lead")
    list_select_related = ("parent", "lead")

    def _create(self, data):
        return team_create(**data)

    def _update(self, obj, data):
        return team_update(team=obj, data=data)


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ("hostname", "last_seen_at", "beats")
    readonly_fields = ("hostname", "last_seen_at", "beats", "created_at", "updated_at")

    def has_add_permission(self, request) -> bool:
        return False


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class PlatformUserAdmin(UserAdmin):
    """HR admins manage logins; only a superuser may grant superuser status or single permissions,
    or touch a superuser's account, so no one can raise themselves above what their group gives."""

    PRIVILEGED_FIELDS = ("is_superuser", "user_permissions")

    def get_queryset(self, request):
        # The accounts API clients act as are managed with their client, never as logins.
        users = super().get_queryset(request).exclude(username__startswith=ApiClient.USERNAME_PREFIX)
        return users if request.user.is_superuser else users.filter(is_superuser=False)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (name, {**options, "fields": [field for field in options["fields"] if field not in self.PRIVILEGED_FIELDS]})
            for name, options in fieldsets
        ]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("subject", "kind", "recipient", "status", "digest", "deliver_after", "attempts", "sent_at")
    list_filter = ("status", "kind", "digest")
    search_fields = ("subject", "recipient__first_name", "recipient__last_name", "recipient__email")
    list_select_related = ("recipient",)
    readonly_fields = [field.name for field in Reminder._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Retry: put back to pending and send now"), permissions=["change"])
    def retry(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        count = reminders_retry(reminder_ids=ids)
        for reminder_id in queryset.filter(pk__in=ids, digest=False, status=Reminder.Status.PENDING).values_list(
            "pk", flat=True
        ):
            transaction.on_commit(lambda reminder_id=reminder_id: deliver_reminder_task.delay(reminder_id))
        self.message_user(request, _("%(count)s reminder(s) will be sent again.") % {"count": count})


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    """Read-only, but for revoking: a client and its token are created on the API clients page or with
    `manage.py create_api_token`, which show the token once; the hash is never edited."""

    list_display = ("name", "prefix", "scope_names", "owner", "created_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("name", "prefix")
    list_select_related = ("owner", "user")
    readonly_fields = (
        "name", "prefix", "scope_names", "user", "owner", "created_at", "updated_at", "last_used_at",
        "revoked_at", "revoked_by",
    )  # fmt: skip
    exclude = ("scopes",)
    actions = ["revoke"]

    @admin.display(description=_("scopes"))
    def scope_names(self, client: ApiClient) -> str:
        return ", ".join(client.scope_list)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        """Every field is read-only: saving the change form changes nothing."""

    @admin.action(description=_("Revoke: the token stops working at once"), permissions=["change"])
    def revoke(self, request, queryset):
        clients = list(queryset.filter(revoked_at__isnull=True))
        for client in clients:
            api_client_revoke(client=client, by=request.user)
        self.message_user(request, _("%(count)s API client(s) revoked.") % {"count": len(clients)})


@admin.register(ApiRequestLog)
class ApiRequestLogAdmin(admin.ModelAdmin):
    list_display = ("created_at", "client", "method", "path", "status_code")
    list_filter = ("status_code", "method", ("client", admin.RelatedOnlyFieldListFilter))
    search_fields = ("path", "client__name", "client__prefix")
    list_select_related = ("client",)
    readonly_fields = [field.name for field in ApiRequestLog._meta.fields]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
