from django.contrib import admin

from lider.outcomes.models import FoundedEntity


@admin.register(FoundedEntity)
class FoundedEntityAdmin(admin.ModelAdmin):
    list_display = ["name", "project", "legal_form", "krs", "registration_date", "verification"]
    list_filter = ["legal_form", "verification", "project"]
    search_fields = ["name", "krs", "nip", "regon"]
    autocomplete_fields = ["seat"]
    raw_id_fields = ["founders"]
    readonly_fields = ["verification", "verified_on", "confirmed_by", "krs_name", "krs_legal_form"]
