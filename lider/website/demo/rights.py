"""The data subject's rights in the demo: one person with a correction waiting for the office.

A trainee (not the one with the participant account, whose page the browser suite uses to
propose its own) asked to correct the address after moving; the office has not decided yet.
Proposed through `people.rectification.propose`, as the participant's account does; loaded once.
"""

from lider.people import rectification
from lider.people.models import Participant
from lider.people.rectification_models import Correction
from lider.projects.models import Project


def load_pending_correction(project: Project) -> Correction | None:
    people = Participant.objects.filter(project=project, person__isnull=False)
    if Correction.objects.filter(person__participations__project=project).exists():
        return None
    participant = (
        people.filter(person__user__isnull=True).select_related("person").order_by("pk")[1]
    )
    return rectification.propose(
        participant.person,
        {"street": "Słoneczna", "house_number": "12", "phone": "604 120 330"},
        actor=None,
        comment="Przeprowadziłam się w listopadzie; proszę o zmianę adresu i telefonu.",
    )
