from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lider.delivery import aggregates
from lider.projects.models import Project
from lider.recruitment import totals as applications
from lider.reporting import totals


class Command(BaseCommand):
    help = (
        "Compute the pre-aggregated tables again from the records (attendance per participant "
        "and task; indicator values per day, county and sex; applications by status), for one "
        "project or all. Needed only after rows were written around the services (a bulk "
        "load); the services and the worker keep the tables current themselves."
    )

    def add_arguments(self, parser):
        parser.add_argument("--project", help="the project's address name (slug); all if none")
        parser.add_argument(
            "--dry-run", action="store_true", help="count the stale rows, change nothing"
        )

    def handle(self, *args, project=None, dry_run=False, **options):
        projects = Project.objects.order_by("pk")
        if project is not None:
            projects = projects.filter(slug=project[:80])
            if not projects.exists():
                raise CommandError(_("There is no project with this address name."))
        for each in projects:
            if dry_run:
                message = _("%(project)s: %(count)s attendance totals differ from the marks.")
                count = aggregates.stale(each)
                counts = _("%(project)s: %(count)s application counts differ from the records.")
                kept = applications.stale(each)
                values = _("%(project)s: %(count)s indicator totals differ from the records.")
                rows = totals.stale_rows(each)
            else:
                message = _("%(project)s: %(count)s attendance totals rebuilt.")
                count = aggregates.rebuild(each)
                counts = _("%(project)s: %(count)s application counts rebuilt.")
                kept = applications.rebuild(each)
                values = _("%(project)s: %(count)s indicator totals rebuilt.")
                rows = totals.rebuild(each)
            self.stdout.write(message % {"project": each.slug, "count": count})
            self.stdout.write(values % {"project": each.slug, "count": rows})
            self.stdout.write(counts % {"project": each.slug, "count": kept})
