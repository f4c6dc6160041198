import json

from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from enablement.webhooks.events import subscribable_event_types
from enablement.webhooks.models import DeliveryAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from enablement.webhooks.services import (
    deliveries_redeliver,
    endpoint_create,
    endpoint_rotate_secret,
    endpoint_set_active,
    endpoint_update,
)


class WebhookEndpointAdminForm(forms.ModelForm):
    url = forms.URLField(label=_("URL"), max_length=500, assume_scheme="https")
    event_types = forms.MultipleChoiceField(
        label=_("event types"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every event type."),
    )

    class Meta:
        model = WebhookEndpoint
        fields = ("url", "description", "event_types", "is_active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event_types"].choices = [(event.name, event.name) for event in subscribable_event_types()]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    """Saves through the services. The secret is never shown in full here (the endpoint's page on
    /webhooks/ shows it to HR admins) and never edited: *Rotate secret* makes a new one."""

    form = WebhookEndpointAdminForm
    list_display = ("__str__", "url", "is_active", "event_type_names", "created_by", "created_at")
    list_filter = ("is_active",)
    search_fields = ("url", "description")
    list_select_related = ("created_by",)
    readonly_fields = ("masked_secret", "previous_secret_expires_at", "created_by", "created_at", "updated_at")
    actions = ["rotate_secret", "deactivate"]

    @admin.display(description=_("event types"))
    def event_type_names(self, endpoint: WebhookEndpoint) -> str:
        return ", ".join(endpoint.event_types) or _("all")

    @admin.display(description=_("signing secret"))
    def masked_secret(self, endpoint: WebhookEndpoint) -> str:
        return endpoint.masked_secret

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in ("url", "description", "event_types")}
        if change:
            endpoint = endpoint_update(endpoint=WebhookEndpoint.objects.get(pk=obj.pk), by=request.user, **data)
        else:
            endpoint = endpoint_create(by=request.user, **data)
        endpoint_set_active(endpoint=endpoint, active=form.cleaned_data["is_active"], by=request.user)
        obj.pk = endpoint.pk
        obj.refresh_from_db()

    @admin.action(description=_("Rotate secret (the old one signs for another 24 h)"), permissions=["change"])
    def rotate_secret(self, request, queryset):
        endpoints = list(queryset)
        for endpoint in endpoints:
            endpoint_rotate_secret(endpoint=endpoint, by=request.user)
        self.message_user(request, _("%(count)s secret(s) rotated.") % {"count": len(endpoints)})

    @admin.action(description=_("Deactivate: no more events, pending deliveries cancelled"), permissions=["change"])
    def deactivate(self, request, queryset):
        endpoints = list(queryset.filter(is_active=True))
        for endpoint in endpoints:
            endpoint_set_active(endpoint=endpoint, active=False, by=request.user)
        self.message_user(request, _("%(count)s endpoint(s) deactivated.") % {"count": len(endpoints)})


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change):
        """Every field is read-only: saving the change form changes nothing."""


def _pretty_json(value) -> str:
    return format_html("<pre>{}</pre>", json.dumps(value, indent=2, ensure_ascii=False))


class DeliveryInline(admin.TabularInline):
    model = WebhookDelivery
    fields = ("endpoint", "state", "attempt_count", "last_status_code", "next_attempt_at", "delivered_at")
    readonly_fields = fields
    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = ("id", "event_type", "created_at")
    list_filter = ("event_type",)
    search_fields = ("id",)
    fields = ("id", "event_type", "payload_json", "created_at")
    readonly_fields = fields
    inlines = [DeliveryInline]
    date_hierarchy = "created_at"

    @admin.display(description=_("payload"))
    def payload_json(self, event: WebhookEvent) -> str:
        return _pretty_json(event.payload)


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    fields = ("started_at", "status_code", "error", "duration_ms", "response_body")
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = (
        "event",
        "event_type",
        "endpoint",
        "state",
        "attempt_count",
        "last_status_code",
        "next_attempt_at",
        "delivered_at",
    )
    list_filter = ("state", ("endpoint", admin.RelatedOnlyFieldListFilter), "event__event_type")
    search_fields = ("event__id",)
    list_select_related = ("event", "endpoint")
    readonly_fields = [field.name for field in WebhookDelivery._meta.fields if field.name != "claim_token"]
    exclude = ("claim_token",)
    inlines = [DeliveryAttemptInline]
    actions = ["redeliver"]

    @admin.display(description=_("type"), ordering="event__event_type")
    def event_type(self, delivery: WebhookDelivery) -> str:
        return delivery.event.event_type

    @admin.action(description=_("Redeliver: a new attempt now (failed ones too)"), permissions=["change"])
    def redeliver(self, request, queryset):
        count = deliveries_redeliver(delivery_ids=list(queryset.values_list("pk", flat=True)), by=request.user)
        self.message_user(request, _("%(count)s delivery(ies) will be sent again now.") % {"count": count})
