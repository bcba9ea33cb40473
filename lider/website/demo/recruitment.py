"""Recruitment of the demo project: rules, criteria, consent texts, an accepted application
for every existing participant, and 20 more applicants rejected or on the reserve list.

Deterministic and idempotent: fixed dates in 2009, a seeded generator, rows created only when
missing, and no audit entries (they would carry the time of loading)."""

import datetime
import random

from django.contrib.auth.models import User
from faker import Faker

from lider.people import services as people_services
from lider.people.identifiers import birth_date_from_pesel, sex_from_pesel
from lider.people.models import Education, LabourStatus, Participant, Person
from lider.projects.models import Project
from lider.recruitment import rules, totals
from lider.recruitment.models import (
    Application,
    Consent,
    ConsentText,
    EligibilityRule,
    InformationClause,
    ScoringCriterion,
)
from lider.recruitment.rules import check
from lider.territory.queries import gminas_in, unit_by_code
from lider.website.demo.project import REFERENCE_DATE

TZ = datetime.timezone(datetime.timedelta(hours=1))
OPENED = datetime.datetime(2009, 11, 2, 9, 0, tzinfo=TZ)
DECIDED = datetime.datetime(2009, 11, 30, 12, 0, tzinfo=TZ)

CONSENTS = {
    ConsentText.Purpose.PROCESSING: (
        "Wyrażam zgodę na przetwarzanie moich danych osobowych w celu realizacji projektu "
        "„Lider na Rynku Ekonomii Społecznej” (ustawa z dnia 29 sierpnia 1997 r. o ochronie "
        "danych osobowych)."
    ),
    ConsentText.Purpose.MONITORING: (
        "Wyrażam zgodę na przetwarzanie moich danych osobowych na potrzeby monitoringu, "
        "kontroli i ewaluacji Programu Operacyjnego Kapitał Ludzki (PEFS)."
    ),
    ConsentText.Purpose.REPORT_AFTER_EXIT: (
        "Zobowiązuję się do przekazania informacji o mojej sytuacji na rynku pracy w ciągu "
        "4 tygodni od zakończenia udziału w projekcie."
    ),
}
# The project's information clause (art. 13), as the beneficiary publishes it on the form.
CLAUSE = {
    "controller": (
        "Administratorem danych uczestników projektu (zbiór PEFS) jest minister właściwy do "
        "spraw rozwoju regionalnego; danych zgłoszeń – beneficjent projektu, wskazany na jego "
        "karcie."
    ),
    "purposes": (
        "Rekrutacja do projektu, jego realizacja, udzielenie wsparcia, monitoring, kontrola, "
        "ewaluacja i sprawozdawczość Programu Operacyjnego Kapitał Ludzki."
    ),
    "legal_bases": (
        "Art. 6 ust. 1 lit. c RODO (obowiązek prawny: rozporządzenie Rady (WE) nr 1083/2006 i "
        "ustawa o zasadach prowadzenia polityki rozwoju), art. 9 ust. 2 lit. g RODO dla danych "
        "o niepełnosprawności, a dla danych podanych dobrowolnie – zgoda (art. 6 ust. 1 lit. a)."
    ),
    "recipients": (
        "Instytucja Wdrażająca, Instytucja Zarządzająca, podmioty prowadzące na ich zlecenie "
        "ewaluację, kontrolę i audyt, oraz podmioty świadczące usługi IT beneficjentowi."
    ),
    "retention": (
        "Do dnia archiwizacji dokumentacji programu określonego w umowie o dofinansowanie "
        "(data na karcie projektu); po nim dane są anonimizowane."
    ),
    "rights": (
        "Prawo dostępu do danych, ich sprostowania, ograniczenia przetwarzania, sprzeciwu, "
        "usunięcia po upływie okresu archiwizacji, cofnięcia zgody w dowolnym momencie oraz "
        "skargi do Prezesa Urzędu Ochrony Danych Osobowych."
    ),
    "dpo_contact": "Inspektor ochrony danych beneficjenta: iod@example.org",
}
CRITERIA = [("unemployed", 10), ("long_term_unemployed", 5), ("woman", 5), ("disability", 8)]
CRITERIA += [("rural", 3)]
REJECTION_REASONS = [
    "Miejsce zamieszkania poza obszarem projektu.",
    "Osoba niepełnoletnia w dniu zgłoszenia.",
    "Niekompletne zgłoszenie: brak podpisanych oświadczeń.",
]
EXTRA = 20


def load_rules(project: Project) -> None:
    EligibilityRule.objects.get_or_create(project=project, order=1, kind="area")
    EligibilityRule.objects.get_or_create(
        project=project, order=2, kind="min_age", defaults={"min_age": 18}
    )
    target_rule, created = EligibilityRule.objects.get_or_create(
        project=project, order=3, kind="target_group"
    )
    if created:
        target_rule.target_groups.set(project.target_groups.all())
    for order, (kind, points) in enumerate(CRITERIA, start=1):
        ScoringCriterion.objects.get_or_create(
            project=project, kind=kind, defaults={"order": order, "points": points}
        )
    InformationClause.objects.get_or_create(project=project, version="2018-05", defaults=CLAUSE)
    for purpose, text in CONSENTS.items():
        ConsentText.objects.get_or_create(
            project=project, purpose=purpose, version="2009-11", defaults={"text": text}
        )


def _extra_people(project: Project) -> list[tuple[Person, str]]:
    """Applicants who were not taken: (person, planned decision)."""
    fake = Faker("pl_PL")
    fake.seed_instance(2010)
    rng = random.Random(2010)
    inside = gminas_in(project.counties.all())
    outside = gminas_in([unit_by_code("2406", on=REFERENCE_DATE)])  # kłobucki: not in the area
    people = []
    for n in range(EXTRA):
        woman = n % 2 == 0
        if n < 3:
            born, gmina, decision = datetime.date(1975, 3, 1 + n), rng.choice(outside), "outside"
        elif n < 5:
            born, gmina, decision = datetime.date(1992, 5, 1 + n), rng.choice(inside), "young"
        elif n < 8:
            born, gmina, decision = datetime.date(1970, 1, 1 + n), rng.choice(inside), "other"
        else:
            born = fake.date_between(datetime.date(1955, 1, 1), datetime.date(1988, 12, 31))
            gmina, decision = rng.choice(inside), "reserve"
        pesel = fake.pesel(
            date_of_birth=datetime.datetime.combine(born, datetime.time()),
            sex="F" if woman else "M",
        )
        people.append(
            (
                Person(
                    first_name=fake.first_name_female() if woman else fake.first_name_male(),
                    last_name=fake.last_name_female() if woman else fake.last_name_male(),
                    pesel=pesel,
                    birth_date=birth_date_from_pesel(pesel),
                    sex=sex_from_pesel(pesel),
                    street=fake.street_name(),
                    house_number=fake.building_number(),
                    postal_code=f"42-{rng.randint(100, 799)}",
                    city=gmina.name,
                    gmina=gmina,
                    email=f"kandydat{n + 1}@example.pl",
                    education=rng.choice([Education.UPPER_SECONDARY, Education.TERTIARY]),
                    labour_status=rng.choice(
                        [LabourStatus.UNEMPLOYED_REGISTERED, LabourStatus.INACTIVE]
                    ),
                    disability="no",
                ),
                decision,
            )
        )
    return people


def load_recruitment(project: Project) -> int:
    """Returns the number of applications of the project."""
    load_rules(project)
    ctx = rules.context_for(project)
    coordinator = User.objects.filter(username="koordynator").first()
    texts = list(project.consent_texts.filter(is_current=True))
    people_group, institutions_group = list(project.target_groups.order_by("order", "pk"))[:2]

    # An accepted application behind every existing participant.
    have = set(
        Application.objects.filter(project=project).values_list("person_id", "institution_id")
    )
    new = []
    participants = Participant.objects.filter(project=project).select_related(
        "person__gmina__parent", "institution__gmina__parent"
    )
    for n, participant in enumerate(participants.order_by("pk")):
        if (participant.person_id, participant.institution_id) in have:
            continue
        group = people_group if participant.person_id else institutions_group
        subject = participant.subject
        application = Application(
            project=project,
            person=participant.person,
            institution=participant.institution,
            pesel=getattr(subject, "pesel", ""),
            nip=getattr(subject, "nip", ""),
            email=subject.email,
            target_group=group,
            status=Application.Status.ACCEPTED,
            source=Application.Source.PAPER if n % 3 else Application.Source.ONLINE,
            submitted_at=OPENED + datetime.timedelta(hours=n % 400),
            decided_at=DECIDED,
            decided_by=coordinator,
            participant=participant,
        )
        check(application, ctx)
        application.is_eligible = True  # they were admitted under the rules of 2009
        new.append(application)

    # Twenty more: rejected with a reason, or waiting on the reserve list.
    extra = _extra_people(project)
    known = set(
        Person.objects.filter(pesel__in=[p.pesel for p, _ in extra]).values_list("pesel", flat=True)
    )
    people_services.create_people([p for p, _ in extra if p.pesel not in known], actor=None)
    by_pesel = {p.pesel: p for p in Person.objects.filter(pesel__in=[p.pesel for p, _ in extra])}
    for n, (person, decision) in enumerate(extra):
        person = by_pesel[person.pesel]
        if (person.pk, None) in have:
            continue
        application = Application(
            project=project,
            person=person,
            pesel=person.pesel,
            email=person.email,
            target_group=people_group,
            source=Application.Source.ONLINE,
            submitted_at=OPENED + datetime.timedelta(days=10, hours=n),
        )
        check(application, ctx)
        if decision == "reserve":
            application.status = Application.Status.RESERVE
        else:
            application.status = Application.Status.REJECTED
            application.decision_reason = REJECTION_REASONS[
                {"outside": 0, "young": 1}.get(decision, 2)
            ]
        application.decided_at, application.decided_by = DECIDED, coordinator
        new.append(application)

    Application.objects.bulk_create(new)
    totals.rebuild(project)  # written past the services that keep the counts
    created = Application.objects.filter(project=project, consents__isnull=True)
    Consent.objects.bulk_create(
        [
            Consent(
                application=application,
                text=text,
                purpose=text.purpose,
                given_at=application.submitted_at,
                source=Consent.Source.ONLINE
                if application.source == Application.Source.ONLINE
                else Consent.Source.PAPER,
            )
            for application in created
            for text in texts
        ]
    )
    return Application.objects.filter(project=project).count()
