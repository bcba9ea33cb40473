from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Lider on a local address (default 127.0.0.1:8000) for a demo or a small office."

    def add_arguments(self, parser):
        parser.add_argument("address", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, address, **options):
        self.stdout.write(f"Lider: http://{address}/  (Ctrl+C stops)")
        call_command("runserver", address, use_reloader=False)
