from django.contrib import admin

from .models import ExportJob, RestoreJob


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    """To see that exports are built and expire; the archives themselves stay the owner's."""

    list_display = ["owner", "status", "size", "created_at", "finished_at", "expires_at"]
    list_select_related = ["owner"]
    list_filter = ["status", "created_at"]
    search_fields = ["owner__email"]
    # An archive is a person's whole data: the admin shows its state, never a link to it.
    fields = ["owner", "status", "size", "error", "created_at", "finished_at", "expires_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RestoreJob)
class RestoreJobAdmin(admin.ModelAdmin):
    """To see that restores run and finish; the uploads themselves stay the owner's."""

    list_display = ["owner", "status", "total", "created_at", "finished_at"]
    list_select_related = ["owner"]
    list_filter = ["status", "created_at"]
    search_fields = ["owner__email"]
    fields = ["owner", "status", "total", "done", "counts", "errors", "created_at", "finished_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
