from django.urls import path
from django.utils.translation import gettext_lazy as _

from lider.recruitment import public

app_name = "recruitment_public"
urlpatterns = [
    path(_("projects/<slug:slug>/application/"), public.apply_person, name="apply"),
    path(
        _("projects/<slug:slug>/application/institution/"),
        public.apply_institution,
        name="apply_institution",
    ),
    path(_("projects/<slug:slug>/application/sent/"), public.application_sent, name="sent"),
    path(
        _("projects/<slug:slug>/application/place/<str:token>/"),
        public.confirm_place,
        name="confirm",
    ),
]
