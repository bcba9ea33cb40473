from django.core.management.base import BaseCommand

from lider.jobs.services import fail_stuck_jobs, stuck_minutes


class Command(BaseCommand):
    help = (
        "Mark failed the background jobs still 'running' whose worker stopped reporting "
        "progress LIDER_JOB_STUCK_MINUTES ago (the worker died); each worker does it on start."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count them.")

    def handle(self, *args, dry_run=False, **options):
        count = fail_stuck_jobs(dry_run=dry_run)
        verb = "would be marked" if dry_run else "marked"
        self.stdout.write(
            f"{count} job(s) running with no progress for {stuck_minutes()} minutes {verb} failed."
        )
