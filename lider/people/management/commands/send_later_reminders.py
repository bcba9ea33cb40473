from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lider.people import situations
from lider.projects.models import Project


class Command(BaseCommand):
    help = (
        "E-mail participants whose participation ended four weeks ago or more and who have not "
        "said their situation since, once each, with a signed link to answer; run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--project", help="the project's address name (slug); all if none")
        parser.add_argument("--dry-run", action="store_true", help="count, send nothing")

    def handle(self, *args, project=None, dry_run=False, **options):
        chosen = None
        if project is not None:
            chosen = Project.objects.filter(slug=project[:80]).first()
            if chosen is None:
                raise CommandError(_("There is no project with this address name."))
        count = situations.send_later_reminders(project=chosen, dry_run=dry_run)
        message = (
            _("%(count)s reminders would be sent.") if dry_run else _("%(count)s reminders sent.")
        )
        self.stdout.write(message % {"count": count})
