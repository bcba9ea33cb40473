from django.urls import path

from lider.recruitment import clauses, imports, views

app_name = "recruitment"
urlpatterns = [
    path("<slug:slug>/rekrutacja/", views.application_list, name="list"),
    path("<slug:slug>/rekrutacja/ranking/", views.ranking, name="ranking"),
    path("<slug:slug>/rekrutacja/sprawdz/", views.recheck, name="recheck"),
    path("<slug:slug>/rekrutacja/zasady/", views.edit_rules, name="rules"),
    path("<slug:slug>/rekrutacja/klauzula/", clauses.edit_clause, name="clause"),
    path("<slug:slug>/rekrutacja/nowe/", views.new_application, name="new"),
    path("<slug:slug>/rekrutacja/import/", imports.upload, name="import"),
    path("<slug:slug>/rekrutacja/import/wzor.xlsx", imports.template, name="import_template"),
    path("<slug:slug>/rekrutacja/import/<str:token>/", imports.preview, name="import_preview"),
    path("<slug:slug>/rekrutacja/import/zadania/<int:pk>/", imports.import_job, name="import_job"),
    path("<slug:slug>/rekrutacja/import/<str:token>/anuluj/", imports.cancel, name="import_cancel"),
    path("<slug:slug>/rekrutacja/<int:pk>/", views.application_detail, name="detail"),
    path("<slug:slug>/rekrutacja/<int:pk>/decyzja/", views.decide, name="decide"),
    path("<slug:slug>/rekrutacja/<int:pk>/tozsamosc/", views.identity, name="identity"),
    path("<slug:slug>/rekrutacja/<int:pk>/rezygnacja/", views.withdraw, name="withdraw"),
    path("<slug:slug>/rekrutacja/<int:pk>/potwierdz/", views.confirm_offer, name="confirm"),
    path(
        "<slug:slug>/rekrutacja/zgody/<int:pk>/wycofaj/",
        views.withdraw_consent,
        name="withdraw_consent",
    ),
]
