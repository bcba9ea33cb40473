from django.urls import path

from lider.projects import account_views

app_name = "accounts"
urlpatterns = [
    path("", account_views.account_list, name="list"),
    path("<int:pk>/dezaktywuj/", account_views.account_deactivate, name="deactivate"),
    path("<int:pk>/aktywuj/", account_views.account_activate, name="activate"),
    path(
        "<int:pk>/drugi-skladnik/",
        account_views.account_reset_second_factor,
        name="reset_second_factor",
    ),
]
