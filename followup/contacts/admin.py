from django.contrib import admin
from django.db import models

from .models import Contact


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "organisation", "email", "owner", "updated_at"]
    list_select_related = ["owner"]
    list_filter = ["updated_at"]
    # Other admins point their contact pickers here (autocomplete_fields), so this must search.
    search_fields = ["name", "organisation", "role", "email", "owner__email"]
    autocomplete_fields = ["owner"]
    readonly_fields = ["created_at", "updated_at"]
    # Django 6 will assume https for a typed address without a scheme; do so now, quietly.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["owner", "name", "role", "organisation"]}),
        ("How to reach them", {"fields": ["email", "phone", "profile_url"]}),
        (None, {"fields": ["notes", "created_at", "updated_at"]}),
    ]
