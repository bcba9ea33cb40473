from django.urls import path

from lider.reporting import views

app_name = "reporting"
urlpatterns = [
    path("<slug:slug>/wskazniki/", views.dashboard, name="dashboard"),
    path("<slug:slug>/wskazniki/<int:pk>/", views.indicator_records, name="records"),
    path("<slug:slug>/wskazniki/nowy/", views.indicator_create, name="indicator_create"),
    path("<slug:slug>/wskazniki/<int:pk>/edycja/", views.indicator_edit, name="indicator_edit"),
    path("<slug:slug>/wskazniki/<int:pk>/usun/", views.indicator_delete, name="indicator_delete"),
    path("<slug:slug>/migawki/", views.snapshot_list, name="snapshots"),
    path("<slug:slug>/migawki/nowa/", views.snapshot_create, name="snapshot_create"),
    path("<slug:slug>/migawki/<int:pk>/", views.snapshot_detail, name="snapshot"),
    path(
        "<slug:slug>/migawki/<int:pk>/<int:value_pk>/",
        views.snapshot_records,
        name="snapshot_records",
    ),
]
urlpatterns += [
    path("<slug:slug>/eksport/", views.export_list, name="exports"),
    path("<slug:slug>/eksport/<str:profile>/", views.export_start, name="export"),
    path("<slug:slug>/eksport/pliki/<int:pk>/", views.export_job, name="export_job"),
    path("<slug:slug>/eksport/pliki/<int:pk>/pobierz/", views.export_file, name="export_file"),
    path("<slug:slug>/eksport/<str:profile>/braki/", views.export_check, name="export_check"),
    path("<slug:slug>/sprawozdanie/", views.progress_report, name="progress"),
]
