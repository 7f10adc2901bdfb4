from django.contrib import admin

from .models import ImportJob


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["file_name", "owner", "kind", "status", "total", "created", "created_at"]
    list_filter = ["kind", "status"]
    readonly_fields = ["owner", "errors", "mapping"]
