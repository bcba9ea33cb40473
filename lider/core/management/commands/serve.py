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


def default_workers() -> int:
    """Gunicorn's rule (2 × cores + 1) on PostgreSQL; SQLite has one writer, so two there."""
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return 2
    return 2 * (os.cpu_count() or 1) + 1


def gunicorn_options(address: str, *, workers: int, timeout: int) -> dict:
    """A production server: dead or stuck workers are replaced, each recycled after a while."""
    return {
        "bind": address if address.rpartition(":")[0] else f"127.0.0.1:{address}",
        "workers": workers,
        "timeout": timeout,
        "graceful_timeout": 30,
        "max_requests": 2000,
        "max_requests_jitter": 200,
        "accesslog": "-",
        "errorlog": "-",
        "worker_tmp_dir": "/dev/shm" if os.path.isdir("/dev/shm") else None,
    }


def run_gunicorn(options: dict) -> None:
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            for key, value in options.items():
                if value is not None:
                    self.cfg.set(key, value)

        def load(self):
            from lider.wsgi import application

            return application

    Server().run()


class Command(BaseCommand):
    help = (
        "Serve Lider on a local address (default 127.0.0.1:8000) with gunicorn, a production "
        "WSGI server (workers replaced when they die, request timeout, access log); --dev runs "
        "Django's development server instead. Unless SITE_URL is set, links made outside a "
        "request (e-mails, PDFs, QR codes) point to this address."
    )

    def add_arguments(self, parser):
        parser.add_argument("address", nargs="?", default=DEFAULT_ADDRESS)
        parser.add_argument("--workers", type=int, help="worker processes (default: by cores)")
        parser.add_argument("--timeout", type=int, default=60, help="seconds per request")
        parser.add_argument("--dev", action="store_true", help="Django's development server")

    def handle(self, *args, address, workers, timeout, dev, **options):
        url = site_url_of(address)
        if not os.environ.get("SITE_URL"):
            settings.SITE_URL = url
        self.stdout.write(f"Lider: {url}/  (Ctrl+C stops)")
        if settings.SITE_URL.rstrip("/") != url:
            self.stdout.write(f"Links in e-mails, PDFs and QR codes: {settings.SITE_URL}")
        if dev:
            call_command("runserver", address, use_reloader=False)
            return
        if workers is not None and not 1 <= workers <= 64:
            raise CommandError("--workers must be between 1 and 64.")
        if not 1 <= timeout <= 3600:
            raise CommandError("--timeout must be between 1 and 3600 seconds.")
        self.stdout.flush()
        run_gunicorn(
            gunicorn_options(address, workers=workers or default_workers(), timeout=timeout)
        )
