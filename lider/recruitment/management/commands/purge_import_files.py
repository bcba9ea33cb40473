"""Delete spreadsheets uploaded for an import preview that has expired (run it from cron)."""

from django.core.management.base import BaseCommand

from lider.recruitment.imports import preview_seconds, purge_expired


class Command(BaseCommand):
    help = "Delete uploaded import files whose preview has expired (they hold PESEL numbers)."

    def handle(self, *args, **options):
        deleted = purge_expired()
        self.stdout.write(
            f"Deleted {deleted} import file(s) older than {preview_seconds() // 60} minutes."
        )
