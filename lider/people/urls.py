from django.urls import path

from lider.people import rectification_views, views

app_name = "people"
urlpatterns = [
    path("<slug:slug>/osoby/", views.person_list, name="list"),
    path("<slug:slug>/uczestnictwo/", views.participation_rule, name="rule"),
    path("<slug:slug>/osoby/<int:pk>/", views.person_detail, name="detail"),
    path("<slug:slug>/osoby/<int:pk>/dane/", rectification_views.edit_person, name="edit"),
    path("<slug:slug>/sprostowania/", rectification_views.correction_list, name="corrections"),
    path(
        "<slug:slug>/osoby/<int:pk>/sprostowania/<int:correction>/przyjmij/",
        rectification_views.correction_accept,
        name="correction_accept",
    ),
    path(
        "<slug:slug>/osoby/<int:pk>/sprostowania/<int:correction>/odrzuc/",
        rectification_views.correction_reject,
        name="correction_reject",
    ),
    path(
        "<slug:slug>/osoby/<int:pk>/ukonczenie/",
        views.person_completion,
        name="completion",
    ),
    path("<slug:slug>/osoby/<int:pk>/rezygnacja/", views.person_exit, name="exit"),
    path("<slug:slug>/osoby/<int:pk>/sytuacja/", views.person_situations, name="situations"),
    path("<slug:slug>/sytuacja-po-4-tygodniach/", views.later_list, name="later_due"),
    path("<slug:slug>/instytucje/", views.institution_list, name="institutions"),
    path("<slug:slug>/instytucje/<int:pk>/", views.institution_detail, name="institution"),
    path(
        "<slug:slug>/instytucje/<int:pk>/daty/", views.institution_dates, name="institution_dates"
    ),
]
