"""Rules, criteria and consent texts are data: coordinators edit them here."""

from django.contrib import admin

from lider.recruitment.models import (
    Application,
    Consent,
    ConsentText,
    EligibilityRule,
    ScoringCriterion,
)


@admin.register(EligibilityRule)
class EligibilityRuleAdmin(admin.ModelAdmin):
    list_display = ["project", "order", "kind", "min_age", "is_active"]
    list_filter = ["project", "kind", "is_active"]
    filter_horizontal = ["target_groups"]


@admin.register(ScoringCriterion)
class ScoringCriterionAdmin(admin.ModelAdmin):
    list_display = ["project", "order", "kind", "points"]
    list_filter = ["project"]


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):
    list_display = ["project", "purpose", "version", "is_current"]
    list_filter = ["project", "purpose", "is_current"]


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    readonly_fields = ["text", "purpose", "given_at", "source", "withdrawn_at"]
    can_delete = False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "project", "status", "is_eligible", "score", "submitted_at"]
    list_filter = ["project", "status", "is_eligible"]
    raw_id_fields = ["person", "institution", "participant"]
    readonly_fields = ["eligibility", "decided_by", "decided_at"]
    inlines = [ConsentInline]
