from django.contrib import admin

from lider.delivery.models import (
    Attendance,
    CalendarToken,
    Enrolment,
    Group,
    Session,
    SessionBooking,
    Venue,
)


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "project"]
    search_fields = ["name", "city"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ["name", "task", "county", "capacity"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "date", "start_time", "end_time", "task", "group", "is_public"]
    list_filter = ["is_public", "task__kind"]
    date_hierarchy = "date"
    search_fields = ["title"]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["participant", "task", "group", "status", "enrolled_at"]
    list_filter = ["status"]
    raw_id_fields = ["participant"]


@admin.register(SessionBooking)
class SessionBookingAdmin(admin.ModelAdmin):
    list_display = ["participant", "session", "status", "created_at"]
    list_filter = ["status"]
    raw_id_fields = ["participant", "session"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["participant", "session", "status", "marked_by", "marked_at"]
    list_filter = ["status"]
    raw_id_fields = ["participant", "session"]


@admin.register(CalendarToken)
class CalendarTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    exclude = ["token"]
