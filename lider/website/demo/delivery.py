"""The seed project's schedule in 2009–2010, its enrolments, bookings and attendance.

Four county information meetings, the opening conference, a training cycle of ten training
days (8 training hours each) for a group of 25 in each county, group advisory in each county,
four county forums and the closing conference. Attendance is generated deterministically so
that 99 of the 100 trainees attend at least 80 % of the training hours; the last trainee of
the lubliniecki county drops out after the sixth training day.

Loaded once (all rows in bulk, with fixed timestamps): running the demo again changes nothing.
"""

import datetime
import random
import zoneinfo
from dataclasses import dataclass

from django.contrib.auth.models import User

from lider.delivery import aggregates
from lider.delivery.models import Attendance, Enrolment, Group, Session, SessionBooking, Venue
from lider.people import paths
from lider.people.models import Participant
from lider.projects.models import Project
from lider.territory.queries import gminas_in, unit_by_code
from lider.website.demo.people import Population
from lider.website.demo.project import (
    COUNTY_CODES,
    CZESTOCHOWA_CITY,
    CZESTOCHOWSKI,
    LUBLINIECKI,
    MYSZKOWSKI,
    REFERENCE_DATE,
)

WARSAW = zoneinfo.ZoneInfo("Europe/Warsaw")
TRAINING_DAYS = 10
ADVISORY_MEETINGS = 4

# county code: (venue name, street, postal code, city, gmina name)
VENUES = {
    CZESTOCHOWA_CITY: (
        "Sala konferencyjna Częstochowskiej Izby Rzemiosła i Przedsiębiorczości",
        "ul. Jasnogórska 15",
        "42-200",
        "Częstochowa",
        "Częstochowa",
    ),
    CZESTOCHOWSKI: (
        "Gminny Ośrodek Kultury w Kłomnicach",
        "ul. Strażacka 8",
        "42-270",
        "Kłomnice",
        "Kłomnice",
    ),
    MYSZKOWSKI: (
        "Miejski Dom Kultury w Myszkowie",
        "ul. Kościuszki 11",
        "42-300",
        "Myszków",
        "Myszków",
    ),
    LUBLINIECKI: (
        "Lubliniecki Dom Kultury",
        "ul. Sobieskiego 8",
        "42-700",
        "Lubliniec",
        "Lubliniec",
    ),
}

# The day of the week each county's group meets on, from the first week of March 2010.
TRAINING_START = {
    CZESTOCHOWA_CITY: datetime.date(2010, 3, 6),  # Saturdays
    CZESTOCHOWSKI: datetime.date(2010, 3, 5),  # Fridays
    MYSZKOWSKI: datetime.date(2010, 3, 4),  # Thursdays
    LUBLINIECKI: datetime.date(2010, 3, 3),  # Wednesdays
}
MODULES = [
    "Ekonomia społeczna – pojęcia, podmioty i otoczenie prawne",
    "Stowarzyszenia i fundacje: zakładanie i rejestracja w KRS",
    "Spółdzielnia socjalna krok po kroku",
    "Biznesplan przedsiębiorstwa społecznego",
    "Finansowanie działalności: dotacje, pożyczki, sprzedaż usług",
    "Księgowość i sprawozdawczość organizacji pozarządowej",
    "Marketing społeczny i promocja podmiotu ekonomii społecznej",
    "Partnerstwo lokalne i współpraca z samorządem",
    "Zarządzanie zespołem i praca z wolontariuszami",
    "Lider ekonomii społecznej w praktyce – warsztat podsumowujący",
]
ADVISORY_TOPICS = [
    "Diagnoza potrzeb i pomysłów na przedsięwzięcia społeczne",
    "Wybór formy prawnej i przygotowanie dokumentów założycielskich",
    "Plan działania i źródła finansowania",
    "Partnerstwo lokalne – plan współpracy",
]
DROP_OUT_REASON = "Rezygnacja z udziału w szkoleniach z powodu podjęcia zatrudnienia"


@dataclass
class Schedule:
    sessions: int
    enrolments: int
    bookings: int
    marks: int


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return datetime.datetime.combine(day, time, WARSAW)


def _venues(project: Project) -> dict[str, Venue]:
    venues = {}
    for code, (name, street, postal_code, city, gmina_name) in VENUES.items():
        gminas = gminas_in([unit_by_code(code, on=REFERENCE_DATE)])
        gmina = next((g for g in gminas if g.name == gmina_name), gminas[0])
        venues[code], _ = Venue.objects.get_or_create(
            project=project,
            name=name,
            defaults={"street": street, "postal_code": postal_code, "city": city, "gmina": gmina},
        )
    return venues


def load_delivery(project: Project, population: Population) -> Schedule | None:
    """Load the schedule once; returns what was created, or None when it is already there."""
    if Session.objects.filter(task__project=project).exists():
        return None
    rng = random.Random(2010)
    tasks = {task.order: task for task in project.tasks.all()}
    meetings, opening, training, advisory, forums, closing = (tasks[n] for n in range(1, 7))
    trainer = User.objects.get(username="trener")
    office = User.objects.get(username="biuro")
    venues = _venues(project)
    counties = {code: unit_by_code(code, on=REFERENCE_DATE) for code in COUNTY_CODES}
    others = {code: population.others[n::4] for n, code in enumerate(COUNTY_CODES)}

    sessions: list[Session] = []
    trained: list[Session] = []  # sessions led by the trainer

    def session(task, title, day, start, end, venue, *, group=None, capacity=None, public=False):
        created = Session(
            task=task,
            group=group,
            title=title,
            date=day,
            start_time=datetime.time(*start),
            end_time=datetime.time(*end),
            venue=venue,
            capacity=capacity,
            is_public=public,
        )
        sessions.append(created)
        return created

    # Information meetings (one per county) and the opening conference, January 2010.
    meeting = {}
    for n, code in enumerate(COUNTY_CODES):
        meeting[code] = session(
            meetings,
            f"Spotkanie z Ekonomią Społeczną – powiat {counties[code].name}",
            datetime.date(2010, 1, 12) + datetime.timedelta(days=2 * n),
            (10, 0),
            (13, 0),
            venues[code],
            capacity=60,
            public=True,
        )
    conference_open = session(
        opening,
        "Konferencja otwierająca projekt „Lider na Rynku Ekonomii Społecznej”",
        datetime.date(2010, 1, 28),
        (10, 0),
        (14, 0),
        venues[CZESTOCHOWA_CITY],
        capacity=120,
        public=True,
    )

    # The training cycle and group advisory: one group of 25 per county.
    training_groups, advisory_groups = {}, {}
    for code in COUNTY_CODES:
        training_groups[code] = Group.objects.create(
            task=training,
            name=f"Grupa szkoleniowa – {counties[code].name}",
            county=counties[code],
            capacity=25,
        )
        advisory_groups[code] = Group.objects.create(
            task=advisory,
            name=f"Grupa doradcza – {counties[code].name}",
            county=counties[code],
            capacity=25,
        )
    training_days = {code: [] for code in COUNTY_CODES}
    advisory_days = {code: [] for code in COUNTY_CODES}
    for code in COUNTY_CODES:
        for n, topic in enumerate(MODULES):
            day = session(
                training,
                f"Dzień {n + 1}: {topic}",
                TRAINING_START[code] + datetime.timedelta(weeks=n),
                (9, 0),
                (15, 0),  # 6 clock hours = 8 training hours
                venues[code],
                group=training_groups[code],
                capacity=25,
            )
            training_days[code].append(day)
            trained.append(day)
        for n, topic in enumerate(ADVISORY_TOPICS):
            day = session(
                advisory,
                f"Doradztwo grupowe {n + 1}: {topic}",
                TRAINING_START[code] + datetime.timedelta(weeks=13 + n),
                (9, 0),
                (12, 0),  # 4 training hours
                venues[code],
                group=advisory_groups[code],
                capacity=25,
            )
            advisory_days[code].append(day)
            trained.append(day)

    # County forums (September) and the closing conference (November).
    forum = {}
    for n, code in enumerate(COUNTY_CODES):
        forum[code] = session(
            forums,
            f"Powiatowe Forum Inicjatyw Ekonomii Społecznej – powiat {counties[code].name}",
            datetime.date(2010, 9, 14) + datetime.timedelta(days=7 * n),
            (10, 0),
            (14, 0),
            venues[code],
            capacity=50,
            public=True,
        )
    conference_close = session(
        closing,
        "Konferencja podsumowująca projekt – Liderzy na rynku ekonomii społecznej",
        datetime.date(2010, 11, 25),
        (10, 0),
        (14, 0),
        venues[CZESTOCHOWA_CITY],
        capacity=120,
        public=True,
    )

    Session.objects.bulk_create(sessions)
    Session.trainers.through.objects.bulk_create(
        [Session.trainers.through(session_id=s.pk, user_id=trainer.pk) for s in trained]
    )

    # Enrolments: each county's trainees in its training group and its advisory group.
    dropout = population.trainees[LUBLINIECKI][-1]
    dropped_on = training_days[LUBLINIECKI][5].date + datetime.timedelta(days=2)
    enrolments = []
    for code in COUNTY_CODES:
        for n, trainee in enumerate(population.trainees[code]):
            enrolled_at = _at(datetime.date(2010, 2, 15), datetime.time(9, n))
            leaving = trainee.pk == dropout.pk
            enrolments.append(
                Enrolment(
                    task=training,
                    group=training_groups[code],
                    participant=trainee,
                    status=Enrolment.Status.DROPPED if leaving else Enrolment.Status.COMPLETED,
                    enrolled_at=enrolled_at,
                    dropped_on=dropped_on if leaving else None,
                    drop_reason=DROP_OUT_REASON if leaving else "",
                )
            )
            if not leaving:
                enrolments.append(
                    Enrolment(
                        task=advisory,
                        group=advisory_groups[code],
                        participant=trainee,
                        status=Enrolment.Status.COMPLETED,
                        enrolled_at=enrolled_at,
                    )
                )
    Enrolment.objects.bulk_create(enrolments)

    marks: list[Attendance] = []

    def mark(day: Session, participant, status, by):
        marks.append(
            Attendance(
                session=day,
                participant=participant,
                status=status,
                marked_by=by,
                marked_at=_at(day.date, day.end_time),
            )
        )

    # Training attendance: everyone misses at most two days of ten (80 % or more), some come
    # late; the one who drops out attends five days and misses the sixth.
    for code in COUNTY_CODES:
        for trainee in population.trainees[code]:
            days = training_days[code]
            if trainee.pk == dropout.pk:
                for n, day in enumerate(days[:6]):
                    status = Attendance.Status.PRESENT if n < 5 else Attendance.Status.ABSENT
                    mark(day, trainee, status, trainer)
                continue
            missed = set(rng.sample(range(TRAINING_DAYS), rng.choice([0, 0, 0, 1, 1, 2])))
            for n, day in enumerate(days):
                if n in missed:
                    status = rng.choice([Attendance.Status.EXCUSED, Attendance.Status.ABSENT])
                elif rng.random() < 0.05:
                    status = Attendance.Status.LATE
                else:
                    status = Attendance.Status.PRESENT
                mark(day, trainee, status, trainer)
            for day in advisory_days[code]:
                status = (
                    Attendance.Status.PRESENT if rng.random() < 0.92 else Attendance.Status.EXCUSED
                )
                mark(day, trainee, status, trainer)

    # Bookings for meetings, forums and conferences, and their attendance.
    bookings: list[SessionBooking] = []

    def book(day: Session, people, *, turnout: float):
        for n, participant in enumerate(people):
            bookings.append(
                SessionBooking(
                    session=day,
                    participant=participant,
                    status=SessionBooking.Status.BOOKED,
                    created_at=_at(day.date - datetime.timedelta(days=10), datetime.time(8, 0))
                    + datetime.timedelta(minutes=n),
                )
            )
            came = rng.random() < turnout
            mark(
                day,
                participant,
                Attendance.Status.PRESENT if came else Attendance.Status.ABSENT,
                office,
            )

    for code in COUNTY_CODES:
        book(meeting[code], others[code][:40], turnout=0.9)
        book(forum[code], others[code][10:35] + population.trainees[code][:10], turnout=0.9)
    book(conference_open, population.others[:90], turnout=0.9)
    book(
        conference_close,
        population.others[100:160] + [t for c in COUNTY_CODES for t in population.trainees[c][:10]],
        turnout=0.9,
    )
    SessionBooking.objects.bulk_create(bookings)
    Attendance.objects.bulk_create(marks)
    aggregates.rebuild(project)  # the marks above bypass the services that keep it
    return Schedule(
        sessions=len(sessions),
        enrolments=len(enrolments),
        bookings=len(bookings),
        marks=len(marks),
    )


def load_paths(project: Project) -> int:
    """The participants' paths from their attendance and enrolments (the project's rule:
    training cycle and group advisory); the trainee who dropped out took up employment, as the
    office records. Returns how many paths changed (none when run again)."""
    changed = paths.refresh(project, actor=None)
    office = User.objects.get(username="biuro")
    for enrolment in Enrolment.objects.filter(
        task__project=project, status=Enrolment.Status.DROPPED
    ).select_related("participant__project"):
        participant = enrolment.participant
        if (participant.exit_reason, participant.end_date) != (
            Participant.ExitReason.EMPLOYMENT,
            enrolment.dropped_on,
        ):
            paths.record_exit(
                participant,
                reason=Participant.ExitReason.EMPLOYMENT,
                on=enrolment.dropped_on,
                actor=office,
            )
            changed += 1
    return changed
