"""Logins in the admin: HR admins manage them, only superusers grant privileges."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from enablement.models import ApiClient

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
