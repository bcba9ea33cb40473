"""Demo accounts, one for each role in the demo project."""

from django.contrib.auth.models import User

from lider.core.permissions import Role
from lider.projects.models import Membership, Project

# (login, first name, last name, role, password). Printed by `lider demo`; demo only.
# The participant account takes the name of the person it is linked to (demo/people.py).
DEMO_USERS = [
    ("administrator", "Adam", "Kowalski", Role.ADMINISTRATOR, "Demo-administrator-2009"),
    ("koordynator", "Katarzyna", "Nowak", Role.COORDINATOR, "Demo-koordynator-2009"),
    ("biuro", "Beata", "Lewandowska", Role.OFFICE, "Demo-biuro-2009"),
    ("trener", "Tomasz", "Wójcik", Role.TRAINER, "Demo-trener-2009"),
    ("partner", "Piotr", "Zieliński", Role.PARTNER, "Demo-partner-2009"),
    ("audytor", "Agnieszka", "Szymańska", Role.AUDITOR, "Demo-audytor-2009"),
    ("uczestnik", "Urszula", "Dąbrowska", Role.PARTICIPANT, "Demo-uczestnik-2009"),
    # The funding institution's reader: the roll-up and the granted projects, read-only.
    ("instytucja", "Irena", "Mazur", Role.FUNDER, "Demo-instytucja-2009"),
]


def load_users(project: Project) -> list[tuple[str, str, str]]:
    """Create the demo users once; returns (login, role label, password) for printing."""
    printed = []
    for login, first, last, role, password in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=login,
            defaults={"first_name": first, "last_name": last, "email": f"{login}@lider.example"},
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(project=project, user=user, role=role)
        printed.append((login, Role(role).label, password))
    return printed
