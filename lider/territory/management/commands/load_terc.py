from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lider.territory.services import BUNDLED_TERC, load_terc


class Command(BaseCommand):
    help = "Load a TERC register (GUS TERYT, 'urzędowy' CSV); the bundled one by default."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(BUNDLED_TERC))

    def handle(self, *args, path, **options):
        if not Path(path).is_file():
            raise CommandError(f"Nie ma pliku {path}.")
        try:
            added = load_terc(Path(path))
        except (KeyError, ValueError) as error:
            raise CommandError(f"To nie jest plik TERC w układzie urzędowym: {error}") from error
        self.stdout.write(f"Added {added} units.")
