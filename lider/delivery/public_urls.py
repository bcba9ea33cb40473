from django.urls import path

from lider.delivery import feeds

app_name = "delivery_public"
urlpatterns = [
    path("<slug:slug>.ics", feeds.public_feed, name="project_feed"),
    path("trener/<str:token>.ics", feeds.trainer_feed, name="trainer_feed"),
]
