from django.urls import path

from lider.core import views

app_name = "backoffice"
urlpatterns = [
    path("logowanie/", views.login, name="login"),
    path("wylogowanie/", views.logout, name="logout"),
    path("logowanie/kod/", views.second_factor, name="second_factor"),
    path("logowanie/konfiguracja-kodu/", views.second_factor_setup, name="second_factor_setup"),
    path("blokady-logowania/", views.login_locks, name="login_locks"),
    path("blokady-logowania/zdejmij/", views.login_lock_lift, name="login_lock_lift"),
]
