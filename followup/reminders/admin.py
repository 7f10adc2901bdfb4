from django.contrib import admin, messages

from .models import Reminder
from .services import sweep


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """Delivery records: read-only (the pipeline owns their state), with one action to retry."""

    list_display = [
        "recipient",
        "kind",
        "local_date",
        "slot",
        "status",
        "attempts",
        "server_failures",
        "next_attempt_at",
        "deliver_by",
        "sent_at",
    ]
    list_filter = ["status", "kind", "slot", "local_date"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__email", "message_id"]
    date_hierarchy = "created_at"
    actions = ["send_again"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Send again (failed or expired reminders)", permissions=["change"])
    def send_again(self, request, queryset):
        count = sweep.reminders_retry(reminders=queryset)
        skipped = queryset.count() - count
        self.message_user(
            request,
            f"{count} reminder{'s' if count != 1 else ''} queued to be sent again"
            + (f"; {skipped} not failed nor expired, left alone." if skipped else "."),
            messages.SUCCESS if count else messages.WARNING,
        )
