import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

DEFAULT_ADDRESS = "127.0.0.1:8000"


def site_url_of(address: str) -> str:
    """The public address of a served ``[HOST:]PORT``: what links outside a request point to."""
    host, _, port = address.rpartition(":")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise CommandError(f"Give the address as [HOST:]PORT, e.g. {DEFAULT_ADDRESS}.")
    return f"http://{host or '127.0.0.1'}:{port}"


class Command(BaseCommand):
    help = (
        "Serve Lider on a local address (default 127.0.0.1:8000) for a demo or a small office. "
        "Unless SITE_URL is set, links made outside a request (e-mails, PDFs, QR codes) point "
        "to this address."
    )

    def add_arguments(self, parser):
        parser.add_argument("address", nargs="?", default=DEFAULT_ADDRESS)

    def handle(self, *args, address, **options):
        url = site_url_of(address)
        if not os.environ.get("SITE_URL"):
            settings.SITE_URL = url
        self.stdout.write(f"Lider: {url}/  (Ctrl+C stops)")
        if settings.SITE_URL.rstrip("/") != url:
            self.stdout.write(f"Links in e-mails, PDFs and QR codes: {settings.SITE_URL}")
        call_command("runserver", address, use_reloader=False)
