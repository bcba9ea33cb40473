"""The seed project's card, as published on its public page."""

import datetime

from lider.projects import logos
from lider.projects.models import Organisation, ProgrammeNode, Project, Task
from lider.territory.queries import unit_by_code

SLUG = "lider-na-rynku-ekonomii-spolecznej"
REFERENCE_DATE = datetime.date(2009, 12, 1)

# TERYT codes of the project's counties (domain brief §3).
CZESTOCHOWA_CITY, CZESTOCHOWSKI, LUBLINIECKI, MYSZKOWSKI = "2464", "2404", "2407", "2409"
COUNTY_CODES = [CZESTOCHOWA_CITY, CZESTOCHOWSKI, MYSZKOWSKI, LUBLINIECKI]

COUNTIES_TEXT = "częstochowskim grodzki, częstochowskim ziemski, myszkowskim i lublinieckim"
COUNTIES_TEXT_LOCATIVE = (
    "częstochowskim grodzkim, częstochowskim ziemskim, myszkowskim i lublinieckim"
)

TARGET_GROUPS = [
    "Podmioty ekonomii społecznej oraz osoby fizyczne, które chcą zakładać i/lub prowadzić "
    "działalność w sektorze ekonomii społecznej i wspierać rozwój sektora ekonomii społecznej "
    f"w powiatach: {COUNTIES_TEXT}.",
    "Instytucje rynku pracy oraz pomocy i integracji społecznej (w zakresie działań "
    "promocyjnych i partnerskich).",
]

# (kind, title as on the page, county codes)
TASKS = [
    (
        Task.Kind.INFORMATION_MEETING,
        "Powiatowe spotkania informacyjno – promocyjne pt. „Spotkania z Ekonomią Społeczną” "
        f"w powiatach: {COUNTIES_TEXT}",
        COUNTY_CODES,
    ),
    (Task.Kind.CONFERENCE, "Konferencja otwierająca projekt w Częstochowie", [CZESTOCHOWA_CITY]),
    (
        Task.Kind.TRAINING_CYCLE,
        "Cykl szkoleń dla Liderów na rynku Ekonomii Społecznej",
        COUNTY_CODES,
    ),
    (
        Task.Kind.GROUP_ADVISORY,
        f"Doradztwo grupowe w powiatach {COUNTIES_TEXT_LOCATIVE}",
        COUNTY_CODES,
    ),
    (
        Task.Kind.FORUM,
        "Powiatowe Fora Inicjatyw Ekonomii Społecznej, czyli Liderzy na rynku Ekonomii "
        f"Społecznej w praktycznym działaniu w powiatach: {COUNTIES_TEXT}",
        COUNTY_CODES,
    ),
    (Task.Kind.CONFERENCE, "Konferencja podsumowująca projekt w Częstochowie", [CZESTOCHOWA_CITY]),
]

MAIN_GOAL = (
    "Wsparcie Ekonomii Społecznej oraz wzmocnienie i poszerzenie zakresu działań Sektora "
    f"Ekonomii Społecznej w powiatach {COUNTIES_TEXT_LOCATIVE}."
)

SPECIFIC_GOALS = [
    "Dostarczenie wiedzy i umiejętności potrzebnych do zakładania i prowadzenia podmiotów "
    "ekonomii społecznej.",
    "Dostarczenie wiedzy, podniesienie umiejętności w zakresie budowania partnerstwa "
    "lokalnego na rzecz rozwoju sektora ekonomii społecznej.",
    "Dostarczenie doradztwa grupowego w zakresie wsparcia i poszerzenia działań sektora "
    "ekonomii społecznej – promocja działań w obszarze ES.",
    "Wykreowanie Liderów na Rynku Ekonomii Społecznej – specjalistów na rzecz rozwoju "
    f"ekonomii społecznej w powiatach: {COUNTIES_TEXT}.",
]


def load_programme() -> ProgrammeNode:
    """PO KL 2007–2013 down to sub-measure 7.2.2."""
    node = None
    for level, code, name in [
        (ProgrammeNode.Level.PROGRAMME, "PO KL", "Program Operacyjny Kapitał Ludzki 2007–2013"),
        (ProgrammeNode.Level.PRIORITY, "VII", "Promocja integracji społecznej"),
        (
            ProgrammeNode.Level.MEASURE,
            "7.2",
            "Przeciwdziałanie wykluczeniu i wzmocnienie sektora ekonomii społecznej",
        ),
        (ProgrammeNode.Level.SUBMEASURE, "7.2.2", "Wsparcie ekonomii społecznej"),
    ]:
        node, _ = ProgrammeNode.objects.get_or_create(
            parent=node, code=code, defaults={"level": level, "name": name}
        )
        if level == ProgrammeNode.Level.PROGRAMME:
            load_logo_strip(node)
    return node


# The PO KL 2007–2013 marks, in the order its promotion rules set (the programme's mark on the
# left, the EU's on the right), as captions only: the demo has no official image files, and
# Lider draws no official mark. An installation uploads the images it was given.
PO_KL_STRIP = [
    "Kapitał Ludzki – Narodowa Strategia Spójności",
    "Unia Europejska – Europejski Fundusz Społeczny",
]


def load_logo_strip(programme: ProgrammeNode) -> None:
    if not programme.logo_marks.exists():
        for caption in PO_KL_STRIP:
            logos.add_mark(programme, actor=None, caption=caption)


def organisation(name: str, **fields) -> Organisation:
    found, _ = Organisation.objects.get_or_create(name=name, defaults=fields)
    return found


def load_project() -> Project:
    counties = [unit_by_code(code, on=REFERENCE_DATE) for code in COUNTY_CODES]
    czestochowa = unit_by_code("2464011", on=REFERENCE_DATE)
    project, created = Project.objects.get_or_create(
        slug=SLUG,
        defaults={
            "number": "WND-POKL.07.02.02-24-03408",
            "title": "Lider na Rynku Ekonomii Społecznej",
            "cofinancing_statement": "Projekt współfinansowany ze środków Unii Europejskiej "
            "w ramach Europejskiego Funduszu Społecznego",
            "classification": load_programme(),
            "institution": organisation(
                "Urząd Marszałkowski Województwa Śląskiego", city="Katowice"
            ),
            "applicant": organisation(
                "Częstochowska Izba Rzemiosła i Przedsiębiorczości",
                city="Częstochowa",
                seat=czestochowa,
            ),
            # Illustrative, like the application number above.
            "contract_number": "UDA-POKL.07.02.02-24-034/08-00",
            "start_date": datetime.date(2009, 12, 1),
            "end_date": datetime.date(2010, 12, 31),
            "main_goal": MAIN_GOAL,
            # The demo ended in 2010, but it shows a project at work: its application form
            # stays open (the browser suite applies through it).
            "state": Project.State.RUNNING,
        },
    )
    if not created:
        return project
    project.partners.add(
        organisation(
            "Stowarzyszenie Międzynarodowe Centrum Partnerstwa Partners Network w Krakowie",
            city="Kraków",
        )
    )
    project.counties.set(counties)
    for order, text in enumerate(TARGET_GROUPS, start=1):
        project.target_groups.create(order=order, description=text)
    for order, text in enumerate(SPECIFIC_GOALS, start=1):
        project.specific_goals.create(order=order, text=text)
    for order, (kind, title, codes) in enumerate(TASKS, start=1):
        task = project.tasks.create(order=order, kind=kind, title=title)
        task.counties.set([unit_by_code(code, on=REFERENCE_DATE) for code in codes])
    return project
