from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from lider.projects.programme_trees import ProgrammeFileError, load_file


class Command(BaseCommand):
    help = (
        "Load a programme tree (programme → priority → measure → sub-measure) from a CSV file "
        "with the columns level,code,name,parent; all rows or none, and running it twice "
        "changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        with translation.override(settings.LANGUAGE_CODE):
            if not Path(path).is_file():
                raise CommandError(_("There is no file %(path)s.") % {"path": path})
            try:
                result = load_file(Path(path))
            except ProgrammeFileError as error:
                raise CommandError(
                    _("Nothing was loaded:") + "\n" + "\n".join(error.errors)
                ) from None
            self.stdout.write(
                _(
                    "Programme %(code)s: %(created)s added, %(renamed)s renamed, "
                    "%(unchanged)s unchanged."
                )
                % {
                    "code": result.programme,
                    "created": result.created,
                    "renamed": result.renamed,
                    "unchanged": result.unchanged,
                }
            )
