from django.urls import path

from lider.core import passwords, views

app_name = "backoffice"
urlpatterns = [
    path("logowanie/", views.login, name="login"),
    path("wylogowanie/", views.logout, name="logout"),
    path("logowanie/kod/", views.second_factor, name="second_factor"),
    path("logowanie/konfiguracja-kodu/", views.second_factor_setup, name="second_factor_setup"),
    path("haslo/przypomnij/", passwords.password_reset, name="password_reset"),
    path("haslo/przypomnij/wyslano/", passwords.password_reset_done, name="password_reset_done"),
    path(
        "haslo/nowe/<uidb64>/<token>/",
        passwords.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("haslo/nowe/gotowe/", passwords.password_reset_complete, name="password_reset_complete"),
    path("haslo/zmiana/", passwords.password_change, name="password_change"),
    path("haslo/zmiana/gotowe/", passwords.password_change_done, name="password_change_done"),
    path("blokady-logowania/", views.login_locks, name="login_locks"),
    path("blokady-logowania/zdejmij/", views.login_lock_lift, name="login_lock_lift"),
]
