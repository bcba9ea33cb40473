from django.core.management.base import BaseCommand
from django.db import transaction

from lider.projects.models import Project
from lider.website.demo.certification import load_certification
from lider.website.demo.delivery import load_delivery, load_paths
from lider.website.demo.finished import SLUG as FINISHED
from lider.website.demo.finished import load_finished
from lider.website.demo.outcomes import load_outcomes
from lider.website.demo.people import load_people
from lider.website.demo.project import load_project
from lider.website.demo.recruitment import load_recruitment
from lider.website.demo.reporting import load_reporting
from lider.website.demo.rights import load_pending_correction
from lider.website.demo.situations import load_situations
from lider.website.demo.users import load_users


class Command(BaseCommand):
    help = "Load the demo project (the seed project as data); running it twice changes nothing."

    def handle(self, *args, **options):
        with transaction.atomic():
            project = load_project()
            logins = load_users(project)
            population = load_people(project)
            load_recruitment(project)
            load_delivery(project, population)
            load_paths(project)
            load_situations(project)
            load_certification(project)
            load_outcomes(project, population.all_trainees)
            load_reporting(project)
            load_pending_correction(project)
            # A second project, finished years ago and anonymised after its archiving date.
            finished = load_finished() or Project.objects.get(slug=FINISHED)
        self.stdout.write(f"Demo project: {project.title} (/projekty/{project.slug}/)")
        self.stdout.write(
            f"Finished project, anonymised: {finished.title} (/projekty/{finished.slug}/rezultaty/)"
        )
        self.stdout.write(
            f"People: {len(population.all_trainees)} trainees, {len(population.others)} others, "
            f"{len(population.institutions)} institutions"
        )
        self.stdout.write("Demo logins (back office at /biuro/):")
        for login, role, password in logins:
            self.stdout.write(f"  {login:<14} {password:<26} {role}")
        self.stdout.write(
            "The administrator is asked to set up a TOTP second factor at the first login."
        )
