"""Staff views of the pipeline, for support and inspection.

Changes made here bypass the services: an interview added here plans no thank-you letters, and a
status changed here neither cancels nor resumes the plan. The product's own pages do both.
"""

from django.contrib import admin
from django.db import models
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from followup.interviews.models import Interview

from .models import (
    Application,
    ApplicationEvent,
    FollowUp,
    FollowUpStatus,
)


class ApplicationEventInline(admin.TabularInline):
    """The timeline is a record of what happened: shown, never edited."""

    model = ApplicationEvent
    fields = ["occurred_at", "kind", "from_status", "to_status", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class InterviewInline(admin.TabularInline):
    model = Interview
    fields = ["scheduled_at", "kind", "round", "location"]
    extra = 0
    show_change_link = True


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    fields = ["kind", "step", "contact", "interview", "due_on", "status", "letter", "completed_at"]
    # The plan's links are set by the services; support only moves a date or changes a status.
    readonly_fields = ["kind", "step", "contact", "interview", "letter", "completed_at"]
    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        # Each read-only link prints its target's name: fetch them with the rows.
        return (
            super().get_queryset(request).select_related("contact", "interview", "letter__contact")
        )


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = [
        "position",
        "organisation",
        "owner",
        "status",
        "decision_date",
        "pending_follow_ups",
        "next_due",
        "reminders_muted",
        "updated_at",
    ]
    list_select_related = ["owner"]
    list_filter = ["status", "reminders_muted", "decision_date", "created_at"]
    search_fields = ["organisation", "position", "notes", "owner__email", "owner__name"]
    autocomplete_fields = ["owner"]
    readonly_fields = ["created_at", "updated_at"]
    # Django 6 will assume https for a typed address without a scheme; do so now, quietly.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["owner", "organisation", "position", "status", "decision_date"]}),
        ("Where it came from", {"fields": ["posting_url", "found_via"]}),
        ("Notes", {"fields": ["notes"]}),
        (
            "Follow-up cadence",
            {
                "fields": [
                    "cadence_first_days",
                    "cadence_second_days",
                    "cadence_repeat_days",
                    "reminders_muted",
                ],
                "description": "Blank days mean the owner's own cadence applies.",
            },
        ),
        ("Dates", {"fields": ["created_at", "updated_at"]}),
    ]
    inlines = [InterviewInline, FollowUpInline, ApplicationEventInline]

    def get_queryset(self, request):
        # Subqueries rather than a join with GROUP BY: the page's COUNT queries leave unused
        # subqueries out, and the rows come back in the same single query.
        pending = FollowUp.objects.filter(
            application=OuterRef("pk"), status=FollowUpStatus.PENDING
        ).order_by()
        return (
            super()
            .get_queryset(request)
            .annotate(
                pending_count=Coalesce(
                    Subquery(pending.values("application").annotate(n=Count("pk")).values("n")),
                    Value(0),
                ),
                next_due_on=Subquery(pending.order_by("due_on").values("due_on")[:1]),
            )
        )

    @admin.display(description="pending", ordering="pending_count")
    def pending_follow_ups(self, obj):
        return obj.pending_count

    @admin.display(description="next due", ordering="next_due_on")
    def next_due(self, obj):
        return obj.next_due_on


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "application",
        "owner",
        "kind",
        "step",
        "contact",
        "due_on",
        "status",
        "completed_at",
    ]
    list_select_related = ["application__owner", "contact"]
    list_filter = ["status", "kind", "due_on", "completed_at"]
    date_hierarchy = "due_on"
    search_fields = [
        "application__organisation",
        "application__position",
        "application__owner__email",
        "contact__name",
    ]
    autocomplete_fields = ["application", "contact", "interview", "letter"]
    # The reminder is the delivery record the sweep attached; only the sweep sets it.
    readonly_fields = ["reminder", "created_at"]
    fields = [
        "application",
        "kind",
        "step",
        "contact",
        "interview",
        "due_on",
        "status",
        "letter",
        "completed_at",
        "remind_at",
        "reminder",
        "created_at",
    ]

    @admin.display(ordering="application__owner__email")
    def owner(self, obj):
        return obj.application.owner


@admin.register(ApplicationEvent)
class ApplicationEventAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "application", "owner", "kind", "from_status", "to_status"]
    list_select_related = ["application__owner"]
    list_filter = ["kind", "to_status", "occurred_at"]
    date_hierarchy = "occurred_at"
    search_fields = ["application__organisation", "application__position", "text"]
    autocomplete_fields = ["application"]
    fields = ["application", "kind", "from_status", "to_status", "text", "occurred_at"]

    @admin.display(ordering="application__owner__email")
    def owner(self, obj):
        return obj.application.owner
