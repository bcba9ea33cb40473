"""A small project with records of every kind, built directly (no services): the indicators'
tests need exact rows, not the paths that create them."""

import datetime
import itertools
from dataclasses import dataclass, field

from django.apps import apps
from django.utils import timezone

from lider.delivery.models import Attendance, Enrolment, Group, Session, Venue
from lider.outcomes.models import FoundedEntity
from lider.people.models import Participant, Person
from lider.projects.models import Task
from lider.reporting.models import Indicator
from lider.territory.queries import unit_by_code
from tests.factories import ProjectFactory

DAY = datetime.date(2010, 3, 1)
_serial = itertools.count()


@dataclass
class World:
    project: object
    task: Task
    forum: Task
    counties: dict
    participants: list = field(default_factory=list)
    sessions: list = field(default_factory=list)


def valid_pesel(base: str) -> str:
    from stdnum.pl import pesel

    digits = base[:10]
    for check in range(10):
        if pesel.is_valid(digits + str(check)):
            return digits + str(check)
    raise ValueError(base)


def person(n: int, sex: str, gmina) -> Person:
    n = next(_serial)
    # Born in January or February 1980, whatever tests ran before: 30 years old on DAY.
    born = datetime.date(1980, 1, 1) + datetime.timedelta(days=n % 59)
    month = born.month
    digits = f"{born:%y}{month:02d}{born:%d}{n % 1000:03d}{(2 if sex == 'K' else 1)}0"
    pesel = valid_pesel(digits)
    return Person.objects.create(
        first_name=f"Imię{n}",
        last_name=f"Nazwisko{n:04d}",
        pesel=pesel,
        birth_date=born,
        sex=sex,
        gmina=gmina,
    )


def certify(world: World, participant, *, on=DAY, status="issued"):
    certificate = apps.get_model("certification", "Certificate")
    series = apps.get_model("certification", "CertificateSeries")
    s, _ = series.objects.get_or_create(
        project=world.project, task=world.task, defaults={"pattern": "C/{seq}"}
    )
    n = certificate.objects.count() + 1
    return certificate.objects.create(
        project=world.project,
        task=world.task,
        participant=participant,
        series=s,
        sequence=n,
        number=f"C/{n}",
        code=f"CODE{n:05d}",
        status=status,
        issued_on=on,
        issued_at=timezone.now(),
        revoked_at=timezone.now() if status == "revoked" else None,
        full_name=str(participant),
        training_title="Cykl",
        hours=10,
        start_date=DAY,
        end_date=DAY,
        project_title="P",
        project_number="N",
        cofinancing="UE",
        verification_url="http://x",
        evaluation={},
        sha256="0" * 64,
    )


def build(women=2, men=1, *, certified=None, sessions=2) -> World:
    """``women`` + ``men`` trainees (alternating counties 2404 / 2409), all enrolled in the
    training cycle and marked present at every session; ``certified`` (default: all) get a
    valid certificate; one forum session in each county; one founded entity."""
    czest, mysz = unit_by_code("2404"), unit_by_code("2409")
    project = ProjectFactory(counties=[czest, mysz])
    task = Task.objects.create(project=project, kind=Task.Kind.TRAINING_CYCLE, title="Cykl")
    forum = Task.objects.create(project=project, kind=Task.Kind.FORUM, title="Forum")
    gminas = {"2404": unit_by_code("2404022"), "2409": unit_by_code("2409032")}
    world = World(project, task, forum, {"2404": czest, "2409": mysz})
    venue = Venue.objects.create(project=project, name="Sala", city="Myszków", gmina=gminas["2409"])
    group = Group.objects.create(task=task, name="Grupa", county=czest)
    for n in range(sessions):
        world.sessions.append(
            Session.objects.create(
                task=task,
                group=group,
                title=f"Zajęcia {n}",
                date=DAY + datetime.timedelta(days=30 * n),
                start_time=datetime.time(9),
                end_time=datetime.time(12, 30),
                venue=venue,
            )
        )
    for code in ("2404", "2409"):
        Session.objects.create(
            task=forum,
            title="Forum",
            date=DAY,
            start_time=datetime.time(10),
            end_time=datetime.time(12),
            venue=Venue.objects.create(
                project=project, name=f"Sala {code}", city="X", gmina=gminas[code]
            ),
        )
    sexes = ["K"] * women + ["M"] * men
    for n, sex in enumerate(sexes):
        code = "2404" if n % 2 == 0 else "2409"
        p = Participant.objects.create(
            project=project, person=person(n, sex, gminas[code]), start_date=DAY
        )
        world.participants.append(p)
        Enrolment.objects.create(task=task, group=group, participant=p, status="completed")
        for session in world.sessions:
            Attendance.objects.create(session=session, participant=p, status="present")
    for p in world.participants if certified is None else world.participants[:certified]:
        certify(world, p)
    FoundedEntity.objects.create(
        project=project,
        name="Fundacja",
        legal_form="foundation",
        registration_date=datetime.date(2010, 9, 1),
        seat=gminas["2409"],
    )
    return world


def indicator(world: World, measure: str, params=None, **fields) -> Indicator:
    goal = world.project.specific_goals.first() or world.project.specific_goals.create(
        order=1, text="Cel"
    )
    defaults = {"name": measure, "kind": "product", "unit": "osoby", "target_total": 10}
    defaults.update(fields)
    return Indicator.objects.create(goal=goal, measure=measure, params=params or {}, **defaults)
