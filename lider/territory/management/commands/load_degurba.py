from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lider.territory.urbanisation import UrbanisationFileError, gminas_missing, load_edition


class Command(BaseCommand):
    help = (
        "Load an edition of Eurostat's DEGURBA classification of Polish gminas (CSV or XLSX "
        "with a LAU code column and a DEGURBA column) and list the gminas it does not classify."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--edition", type=int, required=True, help="the edition's year")
        parser.add_argument("--dry-run", action="store_true", help="check the file only")

    def handle(self, *args, path, edition, dry_run, **options):
        if not Path(path).is_file():
            raise CommandError(f"Nie ma pliku {path}.")
        if not 2000 <= edition <= 2100:
            raise CommandError("Rok wydania musi leżeć między 2000 a 2100.")
        try:
            if dry_run:
                from lider.territory.urbanisation import read_table

                self.stdout.write(f"{len(read_table(Path(path)))} gmin w pliku (bez zapisu).")
                return
            added = load_edition(Path(path), edition)
        except UrbanisationFileError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Dodano {added} klasyfikacji gmin (wydanie {edition}).")
        missing = gminas_missing(edition)
        if missing:
            self.stdout.write(f"Gminy bez klasy w wydaniu {edition} ({len(missing)}):")
            for unit in missing:
                self.stdout.write(f"  {unit.code} {unit.name}")
