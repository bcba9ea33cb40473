from django.contrib import admin

from lider.projects.models import (
    Membership,
    Organisation,
    ProgrammeNode,
    Project,
    SpecificGoal,
    TargetGroup,
    Task,
)


@admin.register(ProgrammeNode)
class ProgrammeNodeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "nip", "regon", "krs"]
    search_fields = ["name", "nip", "regon", "krs"]
    autocomplete_fields = ["seat"]


class TargetGroupInline(admin.TabularInline):
    model = TargetGroup
    extra = 0


class SpecificGoalInline(admin.TabularInline):
    model = SpecificGoal
    extra = 0


class TaskInline(admin.StackedInline):
    model = Task
    extra = 0
    filter_horizontal = ["counties"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "number", "start_date", "end_date", "is_public"]
    search_fields = ["title", "number"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["partners", "counties"]
    inlines = [TargetGroupInline, SpecificGoalInline, TaskInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Read-only: roles are granted on the project's roles page, where every grant is audited."""

    list_display = ["user", "project", "role", "granted_at"]
    list_filter = ["role", "project"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
