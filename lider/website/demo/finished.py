"""The demo's second project: finished years ago, past its archiving date, anonymised.

A small PO KL project of 2011–2012 in the częstochowski county: sixteen trainees of one training
cycle, five days of classes, fourteen certificates (two trainees missed too many days) and two
indicators. It is loaded as it stood when it ended, then anonymised through the real service
(`erasure.anonymise_project`, as the office's button and the scheduled task do), so the demo
shows what is left after the archiving period: the counts, the indicator values and the
results page, and certificates that verify as valid with the holder's data removed.
Deterministic and loaded once: running the demo again changes nothing.
"""

import datetime
import random
import zoneinfo
from decimal import Decimal

from django.contrib.auth.models import User
from faker import Faker

from lider.certification import issuing, rules, services
from lider.certification.models import CertificateSeries, CompletionRule
from lider.core.permissions import Role
from lider.delivery import aggregates
from lider.delivery.models import Attendance, Enrolment, Group, Session, Venue
from lider.people import paths
from lider.people import services as people_services
from lider.people.identifiers import birth_date_from_pesel, sex_from_pesel
from lider.people.models import Answer, Education, LabourStatus, Participant, Person
from lider.projects.models import Membership, Project, Task
from lider.recruitment.models import InformationClause
from lider.reporting.models import Indicator
from lider.territory.queries import gminas_in, unit_by_code
from lider.website import erasure
from lider.website.demo.project import load_programme, organisation
from lider.website.demo.recruitment import CLAUSE

SLUG = "aktywni-w-ekonomii-spolecznej"
WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
COUNTY = "2404"  # częstochowski
ON = datetime.date(2011, 3, 1)
TRAINEES = 16  # ten women, six men
ABSENT = 2  # trainees who miss two days of five: below the 80 % rule, no certificate
DAYS = [datetime.date(2011, 10, 3) + datetime.timedelta(weeks=n) for n in range(5)]
ISSUED_AT = datetime.datetime(2011, 11, 15, 12, 0, tzinfo=WARSAW)
ARCHIVING_DATE = datetime.date(2020, 12, 31)
ANONYMISED_ON = datetime.date(2021, 1, 15)  # the office ran it a fortnight after the date
EDUCATION = [Education.UPPER_SECONDARY, Education.POST_SECONDARY, Education.TERTIARY]
ROLES = [
    ("koordynator", Role.COORDINATOR),
    ("biuro", Role.OFFICE),
    ("audytor", Role.AUDITOR),
    ("instytucja", Role.FUNDER),
]


def load_finished() -> Project | None:
    """Load, and anonymise, the finished project once; None when it is already there."""
    if Project.objects.filter(slug=SLUG).exists():
        return None
    project = _card()
    for login, role in ROLES:
        if user := User.objects.filter(username=login).first():
            Membership.objects.get_or_create(project=project, user=user, role=role)
    task = project.tasks.get()
    participants = _people(project)
    _classes(project, task, participants)
    paths.refresh(project, actor=None)
    _certificates(project, task)
    _indicators(project, task)
    erasure.anonymise_project(project, actor=None, today=ANONYMISED_ON)
    return project


def _card() -> Project:
    county = unit_by_code(COUNTY, on=ON)
    project = Project.objects.create(
        slug=SLUG,
        number="WND-POKL.07.02.02-24-00517/11",
        title="Aktywni w Ekonomii Społecznej",
        cofinancing_statement="Projekt współfinansowany ze środków Unii Europejskiej "
        "w ramach Europejskiego Funduszu Społecznego",
        classification=load_programme(),
        institution=organisation("Urząd Marszałkowski Województwa Śląskiego", city="Katowice"),
        applicant=organisation(
            "Częstochowska Izba Rzemiosła i Przedsiębiorczości", city="Częstochowa"
        ),
        contract_number="UDA-POKL.07.02.02-24-005/11-00",  # illustrative
        start_date=datetime.date(2011, 3, 1),
        end_date=datetime.date(2012, 6, 30),
        archiving_date=ARCHIVING_DATE,
        main_goal="Przygotowanie mieszkańców powiatu częstochowskiego do zakładania i "
        "prowadzenia spółdzielni socjalnych.",
        state=Project.State.ARCHIVED,
    )
    project.counties.set([county])
    project.target_groups.create(
        order=1,
        description="Osoby fizyczne z powiatu częstochowskiego, które chcą założyć "
        "spółdzielnię socjalną lub w niej pracować.",
    )
    project.specific_goals.create(
        order=1, text="Dostarczenie wiedzy o zakładaniu i prowadzeniu spółdzielni socjalnych."
    )
    task = project.tasks.create(
        order=1,
        kind=Task.Kind.TRAINING_CYCLE,
        title="Szkolenia „Spółdzielnia socjalna od pomysłu do działania”",
    )
    task.counties.set([county])
    InformationClause.objects.create(project=project, version="2011-03", **CLAUSE)
    return project


def _people(project: Project) -> list[Participant]:
    fake = Faker("pl_PL")
    fake.seed_instance(2011)
    rng = random.Random(2011)
    gminas = gminas_in([unit_by_code(COUNTY, on=ON)])
    people = []
    for n in range(TRAINEES):
        woman = n < 10
        born = fake.date_between(datetime.date(1955, 1, 1), datetime.date(1990, 12, 31))
        pesel = fake.pesel(
            date_of_birth=datetime.datetime.combine(born, datetime.time()),
            sex="F" if woman else "M",
        )
        gmina = rng.choice(gminas)
        people.append(
            Person(
                first_name=fake.first_name_female() if woman else fake.first_name_male(),
                last_name=fake.last_name_female() if woman else fake.last_name_male(),
                pesel=pesel,
                birth_date=birth_date_from_pesel(pesel),
                sex=sex_from_pesel(pesel),
                street=fake.street_name(),
                house_number=fake.building_number(),
                postal_code=f"42-2{rng.randint(0, 99):02d}",
                city=gmina.name,
                gmina=gmina,
                phone=fake.phone_number(),
                email=f"uczestnik{n + 1}.aes@example.pl",
                education=rng.choice(
                    [Education.UPPER_SECONDARY, Education.POST_SECONDARY, Education.TERTIARY]
                ),
                labour_status=rng.choice(
                    [LabourStatus.UNEMPLOYED_REGISTERED, LabourStatus.INACTIVE]
                ),
                disability=rng.choices(list(Answer), weights=[10, 85, 5])[0],
            )
        )
    people = people_services.create_people(people, actor=None, project_id=project.pk)
    return people_services.add_participants(project, people=people, actor=None)


def _classes(project: Project, task: Task, participants: list[Participant]) -> None:
    trainer = User.objects.filter(username="trener").first()
    county = unit_by_code(COUNTY, on=ON)
    venue = Venue.objects.create(
        project=project,
        name="Sala szkoleniowa Izby Rzemiosła",
        street="ul. Jasnogórska 7",
        postal_code="42-200",
        city="Częstochowa",
        gmina=gminas_in([county])[0],
    )
    group = Group.objects.create(task=task, name="Grupa szkoleniowa", county=county)
    sessions = Session.objects.bulk_create(
        [
            Session(
                task=task,
                group=group,
                title=f"Szkolenie – dzień {n}",
                date=day,
                start_time=datetime.time(9, 0),
                end_time=datetime.time(16, 0),
                venue=venue,
            )
            for n, day in enumerate(DAYS, start=1)
        ]
    )
    if trainer:
        Session.trainers.through.objects.bulk_create(
            [Session.trainers.through(session=s, user=trainer) for s in sessions]
        )
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                task=task,
                group=group,
                participant=p,
                status=Enrolment.Status.COMPLETED,
                enrolled_at=datetime.datetime(2011, 9, 20, 9, 0, tzinfo=WARSAW),
            )
            for p in participants
        ]
    )
    marks = []
    for n, participant in enumerate(participants):
        for d, session in enumerate(sessions):
            missed = n >= TRAINEES - ABSENT and d in (1, 3)
            marks.append(
                Attendance(
                    session=session,
                    participant=participant,
                    status=Attendance.Status.ABSENT if missed else Attendance.Status.PRESENT,
                    marked_by=trainer,
                    marked_at=datetime.datetime.combine(session.date, session.end_time, WARSAW),
                )
            )
    Attendance.objects.bulk_create(marks)
    aggregates.rebuild(task.project)  # the marks above bypass the services that keep it


def _certificates(project: Project, task: Task) -> None:
    coordinator = User.objects.filter(username="koordynator").first()
    CertificateSeries.objects.create(project=project, task=None, pattern="AES/{year}/{seq:03d}")
    condition = {"all": [{"attendance": 80}]}
    rules.validate(condition)
    CompletionRule.objects.create(task=task, conditions=condition, updated_by=coordinator)
    rng = random.Random(2011)

    def codes():
        while True:
            yield "".join(rng.choice(services.CODE_ALPHABET) for _ in range(services.CODE_LENGTH))

    issuing.issue_certificates(
        task, actor=coordinator, issued_at=ISSUED_AT, codes=codes(), notify=False
    )


def _indicators(project: Project, task: Task) -> None:
    goal = project.specific_goals.get()
    for order, (name, kind, unit, target, split, measure) in enumerate(
        [
            (
                "Liczba uczestników szkoleń",
                Indicator.Kind.PRODUCT,
                "osoby",
                16,
                (10, 6),
                "participants_in_task",
            ),
            (
                "Liczba osób, które uzyskały zaświadczenie",
                Indicator.Kind.RESULT,
                "osoby",
                14,
                (9, 5),
                "participants_with_valid_certificate",
            ),
        ],
        start=1,
    ):
        Indicator.objects.create(
            goal=goal,
            order=order,
            name=name,
            kind=kind,
            unit=unit,
            target_total=Decimal(target),
            target_women=split[0],
            target_men=split[1],
            measure=measure,
            params={"task": task.pk},
        )
