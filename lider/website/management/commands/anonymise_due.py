"""Anonymise the people of projects whose archiving date has passed (from a timer or cron)."""

from django.core.management.base import BaseCommand

from lider.website.anonymise_due import run


class Command(BaseCommand):
    help = (
        "List the projects whose archiving date has passed and how many people each would "
        "have anonymised (a dry run); --apply anonymises them, recorded as the system; "
        "--enqueue leaves the work to `lider worker`."
    )

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--apply", action="store_true", help="Anonymise now.")
        action.add_argument(
            "--enqueue", action="store_true", help="Enqueue the task for the worker."
        )

    def handle(self, *args, apply=False, enqueue=False, **options):
        if enqueue:
            from lider.website.tasks import anonymise_due

            result = anonymise_due.enqueue()
            self.stdout.write(f"Enqueued the anonymisation task ({result.id}).")
            return
        found = run(apply=apply)
        for item in found:
            project = item.project
            verb = "anonymised" if apply else "would be anonymised"
            self.stdout.write(
                f"{project.slug}: archiving date {project.archiving_date.isoformat()}, "
                f"{item.people} people {verb}."
            )
        if not found:
            self.stdout.write("No project past its archiving date has people to anonymise.")
        elif not apply:
            self.stdout.write("Dry run: nothing was changed. Run with --apply to anonymise.")
