from django.urls import path

from lider.projects import invitation_views

app_name = "invitation"
urlpatterns = [
    path("<str:token>/", invitation_views.accept_invitation, name="accept"),
]
