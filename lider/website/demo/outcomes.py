"""The social-economy entities the seed page says the participants founded.

Names are stored in the nominative (the page uses other cases), KRS numbers as ten digits; two
entities have no KRS number on the page and have none here. Founders are certified trainees,
two to five for each entity, chosen deterministically.
"""

from lider.certification.models import Certificate
from lider.outcomes.models import FoundedEntity
from lider.people.models import Institution, Participant
from lider.projects.models import Project
from lider.territory.queries import unit_by_code
from lider.website.demo.project import REFERENCE_DATE

LF = Institution.LegalForm

# (name, legal form, KRS, TERC of the seat gmina where the name tells it)
ENTITIES = [
    ("Stowarzyszenie „KLuCzeM” Współpracy i Rozwoju", LF.ASSOCIATION, "0000380128", ""),
    ("Stowarzyszenie Inicjatyw Dobroczynnych „Dar Serca” w Herbach", LF.ASSOCIATION, "", "2407042"),
    ("Fundacja Zielona Dolina", LF.FOUNDATION, "0000382768", ""),
    ("Jurajska Fundacja Rozwoju „WYŻYNY”", LF.FOUNDATION, "0000372713", ""),
    (
        "Poligraficzno-Wydawnicza Spółdzielnia Socjalna EKO-EDYTOR",
        LF.SOCIAL_COOPERATIVE,
        "0000363784",
        "",
    ),
    ("Spółdzielnia Socjalna „Audytor”", LF.SOCIAL_COOPERATIVE, "0000377518", ""),
    ("Stowarzyszenie „Posterus”", LF.ASSOCIATION, "", ""),
]

EVIDENCE = (
    "Założyciele są uczestnikami cyklu szkoleń dla Liderów; wpis podmiotu na stronie projektu "
    "(wartości dodane projektu)."
)


def founders_for(index: int, certified: list[Participant]) -> list[Participant]:
    """Two to five founders for the entity at ``index``, without overlap between entities."""
    start = sum(2 + (n % 4) for n in range(index))
    count = 2 + (index % 4)
    return certified[start : start + count]


def load_outcomes(project: Project, trainees: list[Participant]) -> list[FoundedEntity]:
    """Load the entities once; founders are the trainees holding a valid certificate."""
    holders = set(
        Certificate.objects.filter(project=project, status=Certificate.Status.ISSUED).values_list(
            "participant_id", flat=True
        )
    )
    certified = [trainee for trainee in trainees if trainee.pk in holders]
    entities = []
    for index, (name, legal_form, krs, seat) in enumerate(ENTITIES, start=1):
        entity, created = FoundedEntity.objects.get_or_create(
            project=project,
            name=name,
            defaults={
                "order": index,
                "legal_form": legal_form,
                "krs": krs,
                "seat": unit_by_code(seat, on=REFERENCE_DATE) if seat else None,
                "city": "Herby" if seat else "",
                "evidence": EVIDENCE,
            },
        )
        if created:
            entity.founders.set(founders_for(index - 1, certified))
        entities.append(entity)
    return entities
