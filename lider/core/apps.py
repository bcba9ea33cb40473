from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "lider.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.db.backends.signals import connection_created

        from lider.core import (
            collation,
            lookups,  # noqa: F401  (registers the bounded `in` lookup)
        )

        # SQLite learns the Polish collation on each connection; PostgreSQL has it from ICU.
        connection_created.connect(collation.register, dispatch_uid="lider_polish_collation")
