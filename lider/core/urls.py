from django.contrib.auth import views as auth_views
from django.urls import path

app_name = "backoffice"
urlpatterns = [
    path(
        "logowanie/",
        auth_views.LoginView.as_view(
            template_name="backoffice/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("wylogowanie/", auth_views.LogoutView.as_view(), name="logout"),
]
