from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "lider.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from lider.core import lookups  # noqa: F401  (registers the bounded `in` lookup)
