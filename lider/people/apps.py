from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "lider.people"
    label = "people"
    verbose_name = _("People and institutions")

    def ready(self):
        from lider.core import install
        from lider.people import tasks

        install.register(tasks.check_reminders)
