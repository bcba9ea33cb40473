from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lider.people import paths
from lider.projects.models import Project


class Command(BaseCommand):
    help = (
        "Recompute participants' paths (start, end, completed as planned) from enrolments "
        "and attendance, for one project or all; each change is audited (no actor: the system)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--project", help="the project's address name (slug); all if none")

    def handle(self, *args, project=None, **options):
        projects = Project.objects.order_by("pk")
        if project is not None:
            projects = projects.filter(slug=project[:80])
            if not projects.exists():
                raise CommandError(_("There is no project with this address name."))
        for each in projects:
            changed = paths.refresh(each, actor=None)
            self.stdout.write(
                _("%(project)s: %(count)s paths changed.")
                % {"project": each.slug, "count": changed}
            )
