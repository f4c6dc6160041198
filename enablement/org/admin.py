"""People and teams in the admin, saved through the org services so the admin obeys every rule."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from enablement.models import Person, Team
from enablement.org.services import (
    PERSON_FIELDS,
    TEAM_FIELDS,
    person_create,
    person_employment,
    person_update,
    person_validate_manager,
    team_create,
    team_update,
    team_validate_parent,
)

EMPLOYMENT_FIELDS = ("employment_status", "start_date", "end_date")


class PersonAdminForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = PERSON_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "user" in self.fields:  # API clients' accounts are machines, never a person's login
            self.fields["user"].queryset = self.fields["user"].queryset.filter(api_client__isnull=True)

    def clean(self):
        """The services' rules, before saving (a ValidationError in `save_model` would be a 500): a new
        reporting line, and the employment dates, whose end date is then what the service will store (so
        the model's own check sees a returner without one)."""
        cleaned = super().clean()
        # Only a new reporting line is checked: a report of someone who has left stays editable.
        if "manager" in self.changed_data:
            try:
                person_validate_manager(person=self.instance, manager=cleaned.get("manager"))
            except ValidationError as error:
                self.add_error(None, error)
        if not any(self.has_error(name) for name in EMPLOYMENT_FIELDS):
            sent = {name: cleaned[name] for name in EMPLOYMENT_FIELDS if name in self.changed_data}
            try:
                cleaned["end_date"] = person_employment(person=self.instance, data=sent).end_date
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
