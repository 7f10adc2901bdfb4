"""Staff views of interviews, for support and inspection.

Changes made here bypass the services: an interview added here plans no thank-you letters. The
product's own pages do.
"""

from django.contrib import admin

from .models import Interview, Interviewer


class InterviewerInline(admin.TabularInline):
    model = Interviewer
    fields = ["contact", "cares_about"]
    autocomplete_fields = ["contact"]
    extra = 1


@admin.register(Interview)
class InterviewAdmin(admin.ModelAdmin):
    list_display = ["__str__", "application", "owner", "scheduled_at", "kind", "round"]
    list_select_related = ["application__owner"]
    list_filter = ["kind", "scheduled_at"]
    date_hierarchy = "scheduled_at"
    search_fields = [
        "application__organisation",
        "application__position",
        "notes",
        "interviewers__contact__name",
    ]
    autocomplete_fields = ["application"]
    readonly_fields = ["created_at"]
    fields = ["application", "scheduled_at", "kind", "round", "location", "notes", "created_at"]
    inlines = [InterviewerInline]

    @admin.display(ordering="application__owner__email")
    def owner(self, obj):
        return obj.application.owner
