from django.contrib import admin

from lider.territory.models import Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "description", "level", "reference_date"]
    list_filter = ["level", "gmina_type", "reference_date"]
    search_fields = ["code", "name"]
    readonly_fields = [f.name for f in Unit._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
