from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "lider.projects"
    label = "projects"
    verbose_name = _("Projects")

    def ready(self):
        from lider.core import kept_pages
        from lider.projects.models import Membership

        kept_pages.connect(Membership)  # roles: a user's kept back-office pages go
