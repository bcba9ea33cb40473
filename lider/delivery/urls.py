from django.urls import path

from lider.delivery.views import attendance, calendar, sessions, tasks

app_name = "delivery"
urlpatterns = [
    path("", calendar.calendar, name="calendar"),
    path("moje/", calendar.my_sessions, name="mine"),
    path("moje/nowy-adres-kalendarza/", calendar.regenerate_feed, name="regenerate_feed"),
    path("nowe/", sessions.session_create, name="create"),
    path("seria/", sessions.series_create, name="series"),
    path("miejsca/nowe/", sessions.venue_create, name="venue_create"),
    path("grupy/nowa/", sessions.group_create, name="group_create"),
    path("<int:pk>/", sessions.session_detail, name="session"),
    path("<int:pk>/edycja/", sessions.session_edit, name="edit"),
    path("<int:pk>/obecnosc/wszyscy/", attendance.mark_all_present, name="all_present"),
    path("<int:pk>/obecnosc/<int:participant>/", attendance.mark, name="mark"),
    path("<int:pk>/lista.pdf", attendance.attendance_list_pdf, name="list_pdf"),
    path("<int:pk>/lista-podpisana/", attendance.signed_list, name="signed_list"),
    path(
        "<int:pk>/lista-podpisana/wgraj/", attendance.upload_signed_list, name="upload_signed_list"
    ),
    path("<int:pk>/zapisy/", sessions.book, name="book"),
    path("<int:pk>/zapisy/<int:booking>/anuluj/", sessions.cancel_booking, name="cancel_booking"),
    path("zadania/<int:task>/", tasks.task_detail, name="task"),
    path("zadania/<int:task>/zapisz/", tasks.enrol, name="enrol"),
    path(
        "zadania/<int:task>/zapisy/<int:enrolment>/status/",
        tasks.enrolment_status,
        name="enrolment_status",
    ),
    path(
        "zadania/<int:task>/uczestnicy/<int:participant>/",
        tasks.participant_in_task,
        name="participant",
    ),
]
