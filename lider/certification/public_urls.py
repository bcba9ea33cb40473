"""Public verification of certificates: /weryfikacja/ in Polish, /en/verification/ in English."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from lider.certification import public_views

app_name = "certification_public"
urlpatterns = [
    path(_("verification/"), public_views.verify_form, name="verify_form"),
    path(_("verification/<str:code>/"), public_views.verify, name="verify"),
]
