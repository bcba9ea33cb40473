from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from lider.core.health import health
from lider.core.i18n import set_language

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    # For load balancers and monitoring: outside the language prefixes, no login.
    path("zdrowie/", health, name="health"),
]
# The back office under one prefix and its projects under another, so that resolving a public
# page tests "biuro/" once instead of once per back-office module (every request resolves).
_projects = [
    path("", include("lider.projects.urls")),
    path("", include("lider.people.urls")),
    path("", include("lider.recruitment.urls")),
    path("", include("lider.outcomes.urls")),
    path("", include("lider.reporting.urls")),
    path("", include("lider.website.rights_urls")),
    path("<slug:slug>/zajecia/", include("lider.delivery.urls")),
    path("<slug:slug>/certyfikaty/", include("lider.certification.urls")),
]
_backoffice = [
    path("", include("lider.core.urls")),
    path("zaproszenie/", include("lider.projects.invitation_urls")),
    path("konta/", include("lider.projects.account_urls")),
    path("zestawienie/", include("lider.reporting.rollup.urls")),
    path("projekty/", include(_projects)),
]
urlpatterns += i18n_patterns(
    path("biuro/", include(_backoffice)),
    path("kalendarz/", include("lider.delivery.public_urls")),
    path("", include("lider.certification.public_urls")),
    path("", include("lider.recruitment.public_urls")),
    path("", include("lider.people.public_urls")),
    path("", include("lider.website.urls")),
    prefix_default_language=False,
)

handler400 = "lider.core.errors.bad_request"
handler403 = "lider.core.errors.permission_denied"
handler404 = "lider.core.errors.page_not_found"
handler500 = "lider.core.errors.server_error"
