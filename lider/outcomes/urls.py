from django.urls import path

from lider.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("<slug:slug>/podmioty/", views.entity_list, name="list"),
    path("<slug:slug>/podmioty/nowy/", views.entity_create, name="create"),
    path("<slug:slug>/podmioty/<int:pk>/", views.entity_detail, name="detail"),
    path("<slug:slug>/podmioty/<int:pk>/edycja/", views.entity_edit, name="edit"),
    path("<slug:slug>/podmioty/<int:pk>/krs/", views.entity_verify, name="verify"),
    path("<slug:slug>/podmioty/<int:pk>/potwierdz/", views.entity_confirm, name="confirm"),
]
