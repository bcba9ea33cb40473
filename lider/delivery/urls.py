from django.urls import path

from lider.delivery import views

app_name = "delivery"
urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("moje/", views.my_sessions, name="mine"),
    path("moje/nowy-adres-kalendarza/", views.regenerate_feed, name="regenerate_feed"),
    path("nowe/", views.session_create, name="create"),
    path("seria/", views.series_create, name="series"),
    path("miejsca/nowe/", views.venue_create, name="venue_create"),
    path("grupy/nowa/", views.group_create, name="group_create"),
    path("<int:pk>/", views.session_detail, name="session"),
    path("<int:pk>/edycja/", views.session_edit, name="edit"),
    path("<int:pk>/obecnosc/wszyscy/", views.mark_all_present, name="all_present"),
    path("<int:pk>/obecnosc/<int:participant>/", views.mark, name="mark"),
    path("<int:pk>/lista.pdf", views.attendance_list_pdf, name="list_pdf"),
    path("<int:pk>/lista-podpisana/", views.signed_list, name="signed_list"),
    path("<int:pk>/lista-podpisana/wgraj/", views.upload_signed_list, name="upload_signed_list"),
    path("<int:pk>/zapisy/", views.book, name="book"),
    path("<int:pk>/zapisy/<int:booking>/anuluj/", views.cancel_booking, name="cancel_booking"),
    path("zadania/<int:task>/", views.task_detail, name="task"),
    path("zadania/<int:task>/zapisz/", views.enrol, name="enrol"),
    path(
        "zadania/<int:task>/zapisy/<int:enrolment>/status/",
        views.enrolment_status,
        name="enrolment_status",
    ),
    path(
        "zadania/<int:task>/uczestnicy/<int:participant>/",
        views.participant_in_task,
        name="participant",
    ),
]
