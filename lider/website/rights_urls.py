from django.urls import path

from lider.website import rights

app_name = "rights"
urlpatterns = [
    path("<slug:slug>/osoby/<int:pk>/dane.<str:fmt>", rights.person_access, name="access"),
    path("<slug:slug>/osoby/<int:pk>/ograniczenie/", rights.restrict, name="restrict"),
    path("<slug:slug>/osoby/<int:pk>/usuniecie/", rights.erase, name="erase"),
    path("<slug:slug>/anonimizacja/", rights.anonymise_project, name="anonymise"),
    path("<slug:slug>/rejestr.<str:fmt>", rights.processing_register, name="register"),
    path(
        "<slug:slug>/osoby/<int:pk>/ograniczenie/zniesienie/",
        rights.lift_restriction,
        name="lift",
    ),
]
