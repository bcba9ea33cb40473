from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lider.people import situations, tasks
from lider.projects.models import Project


class Command(BaseCommand):
    help = (
        "E-mail participants whose participation ended four weeks ago or more and who have not "
        "said their situation since, once each, with a signed link to answer. Enqueues the "
        "sending for `lider worker`, which then repeats it daily by itself (with the immediate "
        "backend it runs at once); --now sends in this process."
    )

    def add_arguments(self, parser):
        parser.add_argument("--project", help="the project's address name (slug); all if none")
        parser.add_argument("--dry-run", action="store_true", help="count, send nothing")
        parser.add_argument("--now", action="store_true", help="send now, in this process")

    def handle(self, *args, project=None, dry_run=False, now=False, **options):
        chosen = None
        if project is not None:
            chosen = Project.objects.filter(slug=project[:80]).first()
            if chosen is None:
                raise CommandError(_("There is no project with this address name."))
        if dry_run or now:
            count = situations.send_later_reminders(project=chosen, dry_run=dry_run)
            message = (
                _("%(count)s reminders would be sent.")
                if dry_run
                else _("%(count)s reminders sent.")
            )
            self.stdout.write(message % {"count": count})
            return
        result = tasks.send_later_reminders.enqueue(chosen.pk if chosen else None)
        if result.status == "FAILED":  # the immediate backend ran it here, and it failed
            raise CommandError(
                _("Sending the reminders failed: %(error)s")
                % {"error": result.errors[-1].exception_class_path if result.errors else "?"}
            )
        if result.is_finished:  # the immediate backend ran it here
            self.stdout.write(_("%(count)s reminders sent.") % {"count": result.return_value})
        else:
            self.stdout.write(
                _("The reminders are queued for the worker (task %(id)s).") % {"id": result.id}
            )
