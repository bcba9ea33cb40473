from pathlib import Path

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from lider.core.permissions import allows
from lider.projects.access import roles_in
from lider.projects.models import Project
from lider.reporting.exports.monitoring import export_participants
from lider.reporting.exports.profiles import PROFILES


class Command(BaseCommand):
    help = (
        "Export a project's participants in a monitoring layout (XLSX). The export is made "
        "as a user, who must hold a role allowing it, and is recorded in the audit trail."
    )

    def add_arguments(self, parser):
        parser.add_argument("project", help="the project's address name (slug)")
        parser.add_argument("profile", choices=sorted(PROFILES))
        parser.add_argument("output", help="path of the XLSX file to write")
        parser.add_argument("--user", required=True, help="login of the user making the export")

    def handle(self, *args, project, profile, output, user, **options):
        found = Project.objects.filter(slug=project).first()
        if found is None:
            raise CommandError(f"Nie ma projektu {project}.")
        actor = User.objects.filter(username=user, is_active=True).first()
        if actor is None:
            raise CommandError(f"Nie ma aktywnego użytkownika {user}.")
        roles = roles_in(actor, found)
        if not allows(roles, "reporting.export"):
            raise CommandError(f"Użytkownik {user} nie może eksportować danych tego projektu.")
        target = Path(output)
        if not target.parent.is_dir():
            raise CommandError(f"Nie ma katalogu {target.parent}.")
        result = export_participants(
            found,
            profile,
            actor=actor,
            full_sensitive=allows(roles, "personal.export"),
            target=str(target),
        )
        self.stdout.write(
            f"{target}: {result.exported} participants, {len(result.incomplete)} "
            "incomplete (listed on the check sheet)."
        )
