"""Indicator values computed through the measure registry beside hand-written SQL aggregates.

Run: .venv/bin/python bench/bench_indicators.py [--participants 10000] [--rounds 5]
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> .venv/bin/python bench/bench_indicators.py

It builds a project (a throw-away SQLite database, or the database of DATABASE_URL, where the
bench project is replaced) with N participants in four counties, one training cycle of ten
sessions, every participant enrolled and marked at every session (10 × N attendance rows,
present with a per-person probability between 0.5 and 1), a valid certificate for those with
at least 80 % attendance, and four forums. Then it prints, as the median of --rounds runs
after one that is not counted:
- "ours": `lider.reporting.queries.indicator_values` for four indicators (participants of the
  task, participants with a valid certificate, attendance hours, forums), each split by sex
  and county, and the number of queries it ran (constant: one grouped query per indicator);
- "SQL": four hand-written grouped queries returning the same figures (checked equal).
The goal is ours ≤ 1.3 × SQL (issue 15). Timings on shared machines vary by ±30 %.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lider.settings")
if "DATABASE_URL" not in os.environ:
    os.environ["LIDER_DATA_DIR"] = tempfile.mkdtemp(prefix="lider-bench-")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from lider.certification.models import Certificate, CertificateSeries  # noqa: E402
from lider.delivery.models import Attendance, Enrolment, Group, Session, Venue  # noqa: E402
from lider.people.models import Participant, Person  # noqa: E402
from lider.projects.hours import minutes_per_hour  # noqa: E402
from lider.projects.models import Organisation, ProgrammeNode, Project, Task  # noqa: E402
from lider.reporting import totals  # noqa: E402
from lider.reporting.models import Indicator  # noqa: E402
from lider.reporting.queries import indicator_values  # noqa: E402
from lider.territory.queries import gminas_in, unit_by_code  # noqa: E402

SLUG = "bench-indicators"
COUNTIES = ["2464", "2404", "2409", "2407"]


def build(count: int) -> tuple[Project, Task]:
    call_command("migrate", verbosity=0)
    old = Project.objects.filter(slug=SLUG).first()
    if old is not None:
        raise SystemExit(f"Project {SLUG} exists in this database: use a fresh database.")
    rng = random.Random(42)
    organisation = Organisation.objects.create(name="Izba", city="Częstochowa")
    node = ProgrammeNode.objects.create(level="submeasure", code="bench", name="Poddziałanie")
    project = Project.objects.create(
        slug=SLUG,
        number="WND-BENCH",
        title="Bench",
        cofinancing_statement="UE",
        classification=node,
        institution=organisation,
        applicant=organisation,
        start_date=datetime.date(2009, 12, 1),
        end_date=datetime.date(2010, 12, 31),
        main_goal="Cel",
    )
    counties = {code: unit_by_code(code) for code in COUNTIES}
    gminas = {code: gminas_in([counties[code]]) for code in COUNTIES}
    task = Task.objects.create(project=project, kind=Task.Kind.TRAINING_CYCLE, title="Cykl")
    forum = Task.objects.create(project=project, kind=Task.Kind.FORUM, title="Fora")
    goal = project.specific_goals.create(order=1, text="Cel")
    with transaction.atomic():
        venues, groups, sessions = {}, {}, []
        for code in COUNTIES:
            venues[code] = Venue.objects.create(
                project=project, name=f"Sala {code}", city="X", gmina=gminas[code][0]
            )
            groups[code] = Group.objects.create(task=task, name=code, county=counties[code])
            for day in range(10):
                sessions.append(
                    Session(
                        task=task,
                        group=groups[code],
                        title=f"Dzień {day + 1}",
                        date=datetime.date(2010, 2, 1) + datetime.timedelta(days=7 * day),
                        start_time=datetime.time(9),
                        end_time=datetime.time(15),
                        venue=venues[code],
                    )
                )
            sessions.append(
                Session(
                    task=forum,
                    title="Forum",
                    date=datetime.date(2010, 9, 1),
                    start_time=datetime.time(10),
                    end_time=datetime.time(14),
                    venue=venues[code],
                )
            )
        Session.objects.bulk_create(sessions)
        by_group = {}
        for session in Session.objects.filter(task=task):
            by_group.setdefault(session.group_id, []).append(session)
        stamp = time.time_ns() % 10**6
        people = [
            Person(
                first_name="Anna" if n % 5 < 3 else "Jan",
                last_name=f"Nowak-{n}",
                pesel=f"{stamp:06d}{n:05d}",
                birth_date=datetime.date(1970, 1, 1),
                sex="K" if n % 5 < 3 else "M",
                gmina=gminas[COUNTIES[n % 4]][n % len(gminas[COUNTIES[n % 4]])],
            )
            for n in range(count)
        ]
        Person.objects.bulk_create(people, batch_size=2000)
        participants = Participant.objects.bulk_create(
            [Participant(project=project, person=p, start_date=project.start_date) for p in people],
            batch_size=2000,
        )
        Enrolment.objects.bulk_create(
            [
                Enrolment(
                    task=task,
                    group=groups[COUNTIES[n % 4]],
                    participant=p,
                    status="completed",
                    enrolled_at=timezone.now(),
                )
                for n, p in enumerate(participants)
            ],
            batch_size=2000,
        )
        attendance, certified = [], []
        for n, participant in enumerate(participants):
            chance = rng.uniform(0.5, 1.0)
            present = 0
            for session in by_group[groups[COUNTIES[n % 4]].pk]:
                mark = "present" if rng.random() < chance else "absent"
                present += mark == "present"
                attendance.append(Attendance(session=session, participant=participant, status=mark))
            if present >= 8:
                certified.append(participant)
        Attendance.objects.bulk_create(attendance, batch_size=5000)
        series = CertificateSeries.objects.create(project=project, task=task, pattern="B/{seq}")
        now = timezone.now()
        Certificate.objects.bulk_create(
            [
                Certificate(
                    project=project,
                    task=task,
                    participant=p,
                    series=series,
                    sequence=i + 1,
                    number=f"B/{i + 1}",
                    code=f"B{i:09d}",
                    issued_on=datetime.date(2010, 12, 20),
                    issued_at=now,
                    full_name="x",
                    training_title="Cykl",
                    hours=60,
                    start_date=datetime.date(2010, 2, 1),
                    end_date=datetime.date(2010, 4, 5),
                    project_title="Bench",
                    project_number="WND-BENCH",
                    cofinancing="UE",
                    verification_url="http://x",
                    evaluation={},
                    sha256="0" * 64,
                )
                for i, p in enumerate(certified)
            ],
            batch_size=2000,
        )
        for order, (measure, params) in enumerate(
            [
                ("participants_in_task", {"task": task.pk}),
                ("participants_with_valid_certificate", {"task": task.pk}),
                ("attendance_hours", {"task": task.pk}),
                ("sessions_of_kind", {"task_kind": "forum"}),
            ]
        ):
            Indicator.objects.create(
                goal=goal,
                order=order,
                name=measure,
                kind="product",
                unit="x",
                target_total=1,
                measure=measure,
                params=params,
            )
    return project, task


def minutes_sql(prefix: str) -> str:
    if connection.vendor == "postgresql":
        return (
            f"(EXTRACT(HOUR FROM {prefix}.end_time) - EXTRACT(HOUR FROM {prefix}.start_time)) * 60"
            f" + EXTRACT(MINUTE FROM {prefix}.end_time) - EXTRACT(MINUTE FROM {prefix}.start_time)"
        )
    return (
        f"(CAST(strftime('%H', {prefix}.end_time) AS INTEGER)"
        f" - CAST(strftime('%H', {prefix}.start_time) AS INTEGER)) * 60"
        f" + CAST(strftime('%M', {prefix}.end_time) AS INTEGER)"
        f" - CAST(strftime('%M', {prefix}.start_time) AS INTEGER)"
    )


PERSON_COUNTY = """
    JOIN people_person pe ON pe.id = p.person_id
    LEFT JOIN territory_unit gm ON gm.id = pe.gmina_id
    LEFT JOIN territory_unit c ON c.id = gm.parent_id
"""


def hand_written(project_id: int, task_id: int) -> list[dict]:
    split = (
        "COALESCE(c.code, '') AS county, COUNT(DISTINCT p.id), "
        "COUNT(DISTINCT CASE WHEN pe.sex = 'K' THEN p.id END), "
        "COUNT(DISTINCT CASE WHEN pe.sex = 'M' THEN p.id END)"
    )
    queries = [
        f"""SELECT {split} FROM people_participant p {PERSON_COUNTY}
            JOIN delivery_enrolment e ON e.participant_id = p.id
            WHERE p.project_id = %s AND e.task_id = %s
              AND e.status IN ('qualified', 'participating', 'completed', 'dropped')
            GROUP BY COALESCE(c.code, '') ORDER BY 1""",
        f"""SELECT {split} FROM people_participant p {PERSON_COUNTY}
            JOIN certification_certificate ce ON ce.participant_id = p.id
            WHERE p.project_id = %s AND ce.task_id = %s AND ce.status = 'issued'
            GROUP BY COALESCE(c.code, '') ORDER BY 1""",
        # Hours: marks counted per session first, then weighed by the session's length once.
        f"""SELECT county, SUM(n * minutes), SUM(k * minutes), SUM(m * minutes) FROM (
              SELECT COALESCE(c.code, '') AS county, {minutes_sql("s")} AS minutes,
                     COUNT(*) AS n,
                     COUNT(CASE WHEN pe.sex = 'K' THEN 1 END) AS k,
                     COUNT(CASE WHEN pe.sex = 'M' THEN 1 END) AS m
              FROM delivery_attendance a
              JOIN delivery_session s ON s.id = a.session_id
              JOIN people_participant p ON p.id = a.participant_id {PERSON_COUNTY}
              WHERE p.project_id = %s AND s.task_id = %s AND a.status IN ('present', 'late')
              GROUP BY COALESCE(c.code, ''), s.id, s.start_time, s.end_time
            ) per_session GROUP BY county ORDER BY 1""",
        """SELECT COALESCE(gc.code, vc.code, ''), COUNT(*), NULL, NULL
            FROM delivery_session s JOIN projects_task t ON t.id = s.task_id
            LEFT JOIN delivery_group g ON g.id = s.group_id
            LEFT JOIN territory_unit gc ON gc.id = g.county_id
            JOIN delivery_venue v ON v.id = s.venue_id
            LEFT JOIN territory_unit gm ON gm.id = v.gmina_id
            LEFT JOIN territory_unit vc ON vc.id = gm.parent_id
            WHERE t.project_id = %s AND t.kind = 'forum' AND %s > 0
            GROUP BY COALESCE(gc.code, vc.code, '') ORDER BY 1""",
    ]
    results = []
    with connection.cursor() as cursor:
        for sql in queries:
            cursor.execute(sql, [project_id, task_id])
            rows = cursor.fetchall()
            results.append(rows)
    return results


def as_figures(rows, minutes_per_hour=None) -> tuple:
    # Hours in the project's unit (teaching hours of 45 minutes by default).
    scale = Decimal(minutes_per_hour or 1)

    def value(n):
        return None if n is None else (Decimal(n) / scale).quantize(Decimal("0.01"))

    total = value(sum(r[1] for r in rows))
    women = value(sum(r[2] for r in rows)) if rows and rows[0][2] is not None else None
    men = value(sum(r[3] for r in rows)) if rows and rows[0][3] is not None else None
    return total, women, men, {r[0]: value(r[1]) for r in rows}


def timed(function, rounds: int) -> tuple[float, object]:
    result = function()
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, result


def dashboard(project, rounds: int) -> None:
    """Render the coordinator's dashboard (every indicator, charts) and count its queries."""
    from django.contrib.auth.models import User
    from django.test import Client
    from django.urls import reverse

    from lider.projects.models import Membership

    user, _ = User.objects.get_or_create(username="bench-coordinator")
    Membership.objects.get_or_create(project=project, user=user, role="coordinator")
    client = Client()
    client.force_login(user)
    url = reverse("reporting:dashboard", kwargs={"slug": project.slug})
    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    client.get(url)
    with connection.execute_wrapper(count):
        assert client.get(url).status_code == 200
    milliseconds, _ = timed(lambda: client.get(url), rounds)
    print(f"dashboard page: {milliseconds:.0f} ms, {len(executed)} queries")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    options = parser.parse_args()
    started = time.perf_counter()
    project, task = build(options.participants)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics after the bulk load, for both sides
    attendance = Attendance.objects.filter(session__task=task).count()
    print(
        f"{connection.vendor}: {options.participants} participants, {attendance} attendance rows,"
        f" {Certificate.objects.filter(task=task).count()} certificates"
        f" (built in {time.perf_counter() - started:.1f} s)"
    )
    with CaptureQueriesContext(connection) as queries:
        indicator_values(project)
    ours_ms, values = timed(lambda: indicator_values(project), options.rounds)
    sql_ms, rows = timed(lambda: hand_written(project.pk, task.pk), options.rounds)
    for value, raw, hours in zip(values, rows, (False, False, True, False), strict=True):
        figure = value.cumulative
        ours = (
            figure.total.quantize(Decimal("0.01")),
            None if figure.women is None else figure.women.quantize(Decimal("0.01")),
            None if figure.men is None else figure.men.quantize(Decimal("0.01")),
            {k: v.quantize(Decimal("0.01")) for k, v in figure.by_county.items()},
        )
        expected = as_figures(raw, minutes_per_hour(project.hours_unit) if hours else None)
        assert ours == expected, (value.indicator.name, ours, expected)
        print(
            f"  {value.indicator.name:<38} total {figure.total:>9} "
            f"K {figure.women if figure.women is not None else '—':>8} "
            f"M {figure.men if figure.men is not None else '—':>8}"
        )
    print(f"ours: {ours_ms:.1f} ms in {len(queries)} queries; hand-written SQL: {sql_ms:.1f} ms")
    print(f"ours / SQL = {ours_ms / sql_ms:.2f} × (goal ≤ 1.3 ×); figures equal: yes")
    dashboard(project, options.rounds)
    # The same figures read from the pre-aggregated totals, as the pages do once the worker
    # has rebuilt them (the ratio above is the computation from the records, their fallback).
    started = time.perf_counter()
    totals.rebuild(project)
    rebuilt = time.perf_counter() - started
    stored_ms, stored = timed(lambda: indicator_values(project), options.rounds)
    assert [v.cumulative for v in stored] == [v.cumulative for v in values]
    print(f"from the totals: {stored_ms:.1f} ms (rebuilt in {rebuilt:.1f} s); figures equal: yes")
    dashboard(project, options.rounds)
    if "DATABASE_URL" in os.environ:
        with transaction.atomic():
            Certificate.objects.filter(project=project).delete()
            Attendance.objects.filter(session__task__project=project).delete()
            Enrolment.objects.filter(task__project=project).delete()
            Session.objects.filter(task__project=project).delete()
            Indicator.objects.filter(goal__project=project).delete()
            people = list(Participant.objects.filter(project=project).values_list("person_id"))
            Participant.objects.filter(project=project).delete()
            Person.objects.filter(pk__in=[p for (p,) in people]).delete()
            CertificateSeries.objects.filter(project=project).delete()
            Venue.objects.filter(project=project).delete()
            project.delete()


if __name__ == "__main__":
    main()
