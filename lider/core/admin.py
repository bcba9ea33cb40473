from django.contrib import admin

from lider.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: entries cannot be changed or deleted through the application."""

    list_display = ["at", "actor", "action", "object_repr", "project_id"]
    list_filter = ["action"]
    search_fields = ["object_repr", "actor__username"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
