from django.urls import path

from lider.people import public_views

app_name = "people_public"
urlpatterns = [
    path("sytuacja-po-udziale/<str:token>/", public_views.later_situation, name="later"),
]
