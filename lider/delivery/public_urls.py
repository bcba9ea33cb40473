from django.urls import path

from lider.delivery import feeds, public

app_name = "delivery_public"
urlpatterns = [
    path("<slug:slug>/", public.public_calendar, name="project_calendar"),
    path("<slug:slug>.ics", feeds.public_feed, name="project_feed"),
    path("trener/<str:token>.ics", feeds.trainer_feed, name="trainer_feed"),
]
