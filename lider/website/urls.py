from django.urls import path
from django.utils.translation import gettext_lazy as _

from lider.website import views

app_name = "website"
urlpatterns = [
    path("", views.home, name="home"),
    path(_("projects/<slug:slug>/"), views.project_page, name="project"),
]
