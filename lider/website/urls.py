from django.urls import path
from django.utils.translation import gettext_lazy as _

from lider.projects import logo_views
from lider.website import legal, participant, results, views

app_name = "website"
urlpatterns = [
    path("", views.home, name="home"),
    path(_("projects/<slug:slug>/"), views.project_page, name="project"),
    path(_("projects/<slug:slug>/results/"), results.project_results, name="results"),
    path(_("logos/<str:name>.png"), logo_views.logo_image, name="logo"),
    path(_("privacy/"), legal.privacy, name="privacy"),
    path(_("accessibility-statement/"), legal.accessibility, name="accessibility"),
    path(_("account/"), participant.account, name="account"),
    path(_("account/my-data.<str:fmt>"), participant.my_data, name="my_data"),
    path(_("account/correction/"), participant.propose_correction, name="correction"),
    path(_("account/start/"), participant.after_login, name="after_login"),
    path(_("account/certificates/<int:pk>/"), participant.certificate_pdf, name="certificate_pdf"),
    path(
        _("account/participation/<int:pk>/situation/"),
        participant.situations_answer,
        name="situations",
    ),
    path(
        _("account/consents/<int:pk>/withdraw/"),
        participant.consent_withdraw,
        name="consent_withdraw",
    ),
]
