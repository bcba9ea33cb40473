import sys

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lider.core.install import ERROR, OK, WARNING, run_checks


class Command(BaseCommand):
    help = (
        "Check that this installation can work: database (connection, migrations), cache, file "
        "storage, background worker and e-mail settings. Prints a table and exits with 1 when "
        "something is broken (warnings do not fail). --smtp also connects to the SMTP server."
    )

    def add_arguments(self, parser):
        parser.add_argument("--smtp", action="store_true", help="connect to the SMTP server")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="language of the table (default: %(default)s)",
        )

    def handle(self, *args, smtp, language, **options):
        with translation.override(language):
            results = run_checks(smtp=smtp)
            labels = {OK: _("OK"), WARNING: _("warning"), ERROR: _("ERROR")}
            header = (
                pgettext("installation table", "Check"),
                pgettext("installation table", "Result"),
                pgettext("installation table", "Details"),
            )
            rows = [(result.name, labels[result.status], result.detail) for result in results]
            widths = [max(len(row[n]) for row in [header, *rows]) for n in range(2)]
            for row in [header, *rows]:
                self.stdout.write(f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]}")
            failed = sum(result.status == ERROR for result in results)
            if failed:
                self.stderr.write(_("The installation is not ready: fix the errors above."))
                sys.exit(1)
            self.stdout.write(_("The installation is ready."))
