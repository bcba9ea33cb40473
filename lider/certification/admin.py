from django.contrib import admin

from lider.certification.models import Certificate, CertificateSeries, CompletionRule


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ["number", "full_name", "task", "issued_on", "status"]
    list_filter = ["status", "project"]
    search_fields = ["number", "full_name", "code"]

    def has_change_permission(self, request, obj=None):
        return False  # changes go through the services, which audit them

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(CompletionRule)
admin.site.register(CertificateSeries)
