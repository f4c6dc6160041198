"""Reminders in the admin: read-only, with a retry action."""

from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from enablement.models import Reminder
from enablement.notifications.services import reminders_retry
from enablement.notifications.tasks import deliver_reminder_task


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
