from django.urls import path

from lider.reporting.rollup import views

app_name = "rollup"
urlpatterns = [
    path("", views.rollup_page, name="page"),
    path("zestawienie.xlsx", views.rollup_xlsx, name="xlsx"),
]
