from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "lider.reporting"
    label = "reporting"
    verbose_name = _("Indicators and reports")

    def ready(self):
        from lider.reporting import (
            freshness,
            jobs,  # noqa: F401 - registers the export job's runner
            kept,
        )

        freshness.connect()
        kept.connect()
