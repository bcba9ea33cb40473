from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecruitmentConfig(AppConfig):
    name = "lider.recruitment"
    label = "recruitment"
    verbose_name = _("Recruitment")

    def ready(self):
        from lider.recruitment import import_jobs  # noqa: F401 - registers the import's runner
