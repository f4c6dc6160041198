"""API clients and their request log in the admin: read-only, but for revoking."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from enablement.api.clients.services import api_client_revoke
from enablement.models import ApiClient, ApiRequestLog


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    """Read-only, but for revoking: a client and its token are created on the API clients page or with
    `manage.py create_api_token`, which show the token once; the hash is never edited."""

    list_display = ("name", "prefix", "scope_names", "owner", "created_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("name", "prefix")
    list_select_related = ("owner", "user")
    readonly_fields = (
        "name",
        "prefix",
        "scope_names",
        "user",
        "owner",
        "created_at",
        "updated_at",
        "last_used_at",
        "revoked_at",
        "revoked_by",
    )
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
