from django.contrib import admin

from lider.reporting.models import Indicator, Snapshot, SnapshotValue


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    """Indicators are defined here: a measure from the registry and its JSON parameters
    (validated against the project by ``Indicator.clean``)."""

    list_display = ["name", "goal", "kind", "measure", "target_total", "target_women", "target_men"]
    list_filter = ["kind", "measure", "goal__project"]
    search_fields = ["name"]
    list_select_related = ["goal"]


class SnapshotValueInline(admin.TabularInline):
    model = SnapshotValue
    extra = 0
    can_delete = False
    fields = ["indicator", "total", "women", "men", "period_total", "record_model"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    list_display = ["project", "reporting_date", "period_start", "created_by", "created_at"]
    readonly_fields = ["project", "reporting_date", "period_start", "created_by", "created_at"]
    inlines = [SnapshotValueInline]
