"""The demo population: 100 trainees, about 200 people for meetings, forums and conferences,
and about 30 institutions, all in the four counties, generated deterministically."""

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from faker import Faker

from lider.people import services as people_services
from lider.people.identifiers import birth_date_from_pesel, sex_from_pesel
from lider.people.models import (
    Answer,
    Education,
    Institution,
    InstitutionMember,
    LabourDetail,
    LabourStatus,
    Participant,
    Person,
)
from lider.projects.models import Project
from lider.territory.queries import gminas_in, unit_by_code
from lider.website.demo.project import COUNTY_CODES, REFERENCE_DATE

TRAINEES_PER_COUNTY = 25
OTHERS = 200
POSTAL_PREFIX = {"2464": "42-2", "2404": "42-2", "2409": "42-3", "2407": "42-7"}


@dataclass
class Population:
    trainees: dict[str, list[Participant]] = field(default_factory=dict)  # by county code
    others: list[Participant] = field(default_factory=list)
    institutions: list[Institution] = field(default_factory=list)

    @property
    def all_trainees(self) -> list[Participant]:
        return [p for code in COUNTY_CODES for p in self.trainees[code]]


def _person(fake: Faker, rng: random.Random, gmina, county_code: str, woman: bool) -> Person:
    born = fake.date_between(datetime.date(1950, 1, 1), datetime.date(1991, 12, 31))
    pesel = fake.pesel(
        date_of_birth=datetime.datetime.combine(born, datetime.time()), sex="F" if woman else "M"
    )
    first = fake.first_name_female() if woman else fake.first_name_male()
    last = fake.last_name_female() if woman else fake.last_name_male()
    status = rng.choices(list(LabourStatus), weights=[35, 10, 20, 35])[0]
    detail = {
        LabourStatus.UNEMPLOYED_REGISTERED: LabourDetail.LONG_TERM_UNEMPLOYED,
        LabourStatus.EMPLOYED: rng.choice(
            [LabourDetail.NGO, LabourDetail.SME, LabourDetail.SELF_EMPLOYED]
        ),
    }.get(status, LabourDetail.NONE)
    email_name = fake.unique.user_name()
    return Person(
        first_name=first,
        last_name=last,
        pesel=pesel,
        birth_date=birth_date_from_pesel(pesel),
        sex=sex_from_pesel(pesel),
        street=fake.street_name(),
        house_number=fake.building_number(),
        postal_code=f"{POSTAL_PREFIX[county_code]}{rng.randint(0, 99):02d}",
        city=gmina.name,
        gmina=gmina,
        phone=fake.phone_number(),
        email=f"{email_name}@example.pl",
        education=rng.choices(list(Education), weights=[1, 5, 10, 45, 14, 25])[0],
        labour_status=status,
        labour_detail=detail,
        cares_for_dependants=rng.random() < 0.2,
        disability=rng.choices(list(Answer), weights=[6, 90, 4])[0],
        minority_or_migrant=rng.choices(list(Answer), weights=[1, 96, 3])[0],
        homeless=Answer.NO,
        other_disadvantage=rng.choices(list(Answer), weights=[10, 85, 5])[0],
    )


def _generate_people(fake, rng) -> tuple[dict[str, list[Person]], list[Person]]:
    gminas = {code: gminas_in([unit_by_code(code, on=REFERENCE_DATE)]) for code in COUNTY_CODES}
    trainees = {
        code: [
            _person(fake, rng, rng.choice(gminas[code]), code, woman=n % 5 < 3)
            for n in range(TRAINEES_PER_COUNTY)
        ]
        for code in COUNTY_CODES
    }
    others = []
    for n in range(OTHERS):
        code = COUNTY_CODES[n % 4]
        others.append(_person(fake, rng, rng.choice(gminas[code]), code, woman=n % 2 == 0))
    return trainees, others


INSTITUTIONS = [
    # (name, legal form, kind, county code)
    ("Powiatowy Urząd Pracy w Częstochowie", "public_unit", "labour_market", "2464"),
    ("Powiatowy Urząd Pracy w Myszkowie", "public_unit", "labour_market", "2409"),
    ("Powiatowy Urząd Pracy w Lublińcu", "public_unit", "labour_market", "2407"),
    (
        "Miejski Ośrodek Pomocy Społecznej w Częstochowie",
        "public_unit",
        "social_assistance",
        "2464",
    ),
    (
        "Powiatowe Centrum Pomocy Rodzinie w Częstochowie",
        "public_unit",
        "social_assistance",
        "2404",
    ),
    ("Powiatowe Centrum Pomocy Rodzinie w Myszkowie", "public_unit", "social_assistance", "2409"),
    ("Powiatowe Centrum Pomocy Rodzinie w Lublińcu", "public_unit", "social_assistance", "2407"),
    ("Miejski Ośrodek Pomocy Społecznej w Myszkowie", "public_unit", "social_assistance", "2409"),
    ("Miejski Ośrodek Pomocy Społecznej w Lublińcu", "public_unit", "social_assistance", "2407"),
    ("Gminny Ośrodek Pomocy Społecznej w Kłomnicach", "public_unit", "social_assistance", "2404"),
    ("Gminny Ośrodek Pomocy Społecznej w Mykanowie", "public_unit", "social_assistance", "2404"),
    ("Gminny Ośrodek Pomocy Społecznej w Poczesnej", "public_unit", "social_assistance", "2404"),
    ("Gminny Ośrodek Pomocy Społecznej w Herbach", "public_unit", "social_assistance", "2407"),
    ("Gminny Ośrodek Pomocy Społecznej w Poraju", "public_unit", "social_assistance", "2409"),
    ("Centrum Integracji Społecznej w Częstochowie", "cis", "social_assistance", "2464"),
    ("Klub Integracji Społecznej w Myszkowie", "kis", "social_assistance", "2409"),
    ("Zakład Aktywności Zawodowej w Lublińcu", "zaz", "social_economy", "2407"),
    ("Warsztat Terapii Zajęciowej w Blachowni", "wtz", "social_economy", "2404"),
    ("Warsztat Terapii Zajęciowej w Koziegłowach", "wtz", "social_economy", "2409"),
    ("Stowarzyszenie na rzecz Osób Niepełnosprawnych „Razem”", "association", "ngo", "2464"),
    ("Stowarzyszenie Rozwoju Wsi Jurajskiej", "association", "ngo", "2404"),
    ("Stowarzyszenie Kobiet Aktywnych w Lublińcu", "association", "ngo", "2407"),
    ("Fundacja Inicjatyw Lokalnych Ziemi Myszkowskiej", "foundation", "ngo", "2409"),
    ("Fundacja Pomocy Rodzinie w Częstochowie", "foundation", "ngo", "2464"),
    ("Spółdzielnia Socjalna „Razem w Pracy”", "social_cooperative", "social_economy", "2464"),
    ("Spółdzielnia Socjalna „Jurajskie Smaki”", "social_cooperative", "social_economy", "2404"),
    ("Spółdzielnia Socjalna „Zielony Lubliniec”", "social_cooperative", "social_economy", "2407"),
    ("Lokalna Grupa Działania „Zielony Wierzchołek Śląska”", "association", "ngo", "2407"),
    ("Lokalna Grupa Działania „Jurajska Kraina”", "association", "ngo", "2409"),
    ("Agencja Rozwoju Regionalnego w Częstochowie", "nonprofit_company", "enterprise", "2464"),
]


def _valid_nip(rng: random.Random) -> str:
    weights = (6, 5, 7, 2, 3, 4, 5, 6, 7)
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(8)]
        check = sum(w * d for w, d in zip(weights, digits, strict=True)) % 11
        if check != 10:
            return "".join(map(str, digits)) + str(check)


def load_people(project: Project) -> Population:
    fake = Faker("pl_PL")
    fake.seed_instance(2009)
    rng = random.Random(2009)
    trainees, others = _generate_people(fake, rng)
    generated = [p for group in trainees.values() for p in group] + others
    known = set(
        Person.objects.filter(pesel__in=[p.pesel for p in generated]).values_list(
            "pesel", flat=True
        )
    )
    people_services.create_people([p for p in generated if p.pesel not in known], actor=None)
    by_pesel = {p.pesel: p for p in Person.objects.filter(pesel__in=[p.pesel for p in generated])}

    institutions = []
    for number, (name, legal_form, kind, code) in enumerate(INSTITUTIONS, start=1):
        gmina = gminas_in([unit_by_code(code, on=REFERENCE_DATE)])[0]
        nip = _valid_nip(rng)
        institution = Institution.objects.filter(name=name).first()
        institution = institution or people_services.create_subject(
            Institution(
                name=name,
                legal_form=legal_form,
                kind=kind,
                nip=nip,
                city=gmina.name,
                gmina=gmina,
                house_number=str(number),  # illustrative, like every demo address
                postal_code=f"{POSTAL_PREFIX[code]}00",
            ),
            actor=None,
        )
        institutions.append(institution)
    # Some of the meeting participants work in these institutions.
    for n, person in enumerate(others[:60]):
        people_services.add_member(
            institutions[n % len(institutions)],
            by_pesel[person.pesel],
            InstitutionMember.Relation.EMPLOYEE,
            actor=None,
        )

    # The path (start, end, completion) comes from attendance: see demo.delivery.
    people_services.add_participants(
        project, people=[by_pesel[p.pesel] for p in generated], actor=None
    )
    people_services.add_participants(
        project, institutions=institutions, start_date=project.start_date, actor=None
    )
    participants = {
        p.person.pesel: p
        for p in Participant.objects.filter(project=project, person__isnull=False).select_related(
            "person"
        )
    }

    participant_user = User.objects.filter(username="uczestnik").first()
    first_trainee = by_pesel[trainees[COUNTY_CODES[0]][0].pesel]
    if participant_user and first_trainee.user_id is None:
        people_services.link_user(first_trainee, participant_user, actor=None)
    if participant_user and (participant_user.first_name, participant_user.last_name) != (
        first_trainee.first_name,
        first_trainee.last_name,
    ):
        # One person, one name: the account carries the name of the person it belongs to.
        participant_user.first_name = first_trainee.first_name
        participant_user.last_name = first_trainee.last_name
        participant_user.save(update_fields=["first_name", "last_name"])

    return Population(
        trainees={code: [participants[p.pesel] for p in group] for code, group in trainees.items()},
        others=[participants[p.pesel] for p in others],
        institutions=institutions,
    )
