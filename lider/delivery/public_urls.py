from django.urls import path, re_path

from lider.delivery import feeds, public

app_name = "delivery_public"
urlpatterns = [
    path("<slug:slug>/", public.public_calendar, name="project_calendar"),
    path("<slug:slug>.ics", feeds.public_feed, name="project_feed"),
    # Tokens are URL-safe base64 (secrets.token_urlsafe): anything else is not found, and never
    # reaches the database (a NUL byte is an error on PostgreSQL).
    re_path(
        r"^trener/(?P<token>[A-Za-z0-9_-]{1,64})\.ics$", feeds.trainer_feed, name="trainer_feed"
    ),
]
