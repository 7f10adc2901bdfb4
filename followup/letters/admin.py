from django.contrib import admin
from django.db import models

from .models import Gift, Letter


class GiftInline(admin.StackedInline):
    model = Gift
    fields = [
        "kind",
        "title",
        "url",
        "file",
        "file_name",
        "items",
        "introduced_contact",
        "inspiration",
    ]
    autocomplete_fields = ["introduced_contact"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    # One gift per letter (a one-to-one): the empty form shows only while there is none.
    extra = 1


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):
    list_display = ["subject", "kind", "contact", "application", "owner", "gift_title", "sent_on"]
    # `gift` is the reverse one-to-one: joined here, a letter without one costs no query either.
    list_select_related = ["contact", "application__owner", "gift"]
    list_filter = ["kind", "sent_on", "created_at"]
    date_hierarchy = "created_at"
    search_fields = [
        "subject",
        "body",
        "contact__name",
        "application__organisation",
        "application__position",
        "application__owner__email",
    ]
    autocomplete_fields = ["application", "contact", "interview", "follow_up"]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["application", "contact", "kind", "interview", "follow_up"]}),
        (
            "The four parts of a thank-you letter",
            {"fields": ["appreciation", "still_interested", "great_fit", "availability"]},
        ),
        (None, {"fields": ["subject", "body", "sent_on", "created_at", "updated_at"]}),
    ]
    inlines = [GiftInline]

    @admin.display(ordering="application__owner__email")
    def owner(self, obj):
        return obj.application.owner

    @admin.display(description="gift")
    def gift_title(self, obj):
        return obj.gift_or_none or "—"


@admin.register(Gift)
class GiftAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "letter", "owner", "introduced_contact", "created_at"]
    list_select_related = ["letter__contact", "letter__application__owner", "introduced_contact"]
    list_filter = ["kind", "created_at"]
    date_hierarchy = "created_at"
    search_fields = ["title", "url", "items", "inspiration", "letter__subject"]
    autocomplete_fields = ["letter", "introduced_contact"]
    readonly_fields = ["created_at"]
    # Django 6 will assume https for a typed address without a scheme; do so now, quietly.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fields = [
        "letter",
        "kind",
        "title",
        "url",
        "file",
        "file_name",
        "items",
        "introduced_contact",
        "inspiration",
        "created_at",
    ]

    @admin.display(ordering="letter__application__owner__email")
    def owner(self, obj):
        return obj.letter.application.owner
