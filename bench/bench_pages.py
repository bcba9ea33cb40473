"""Every back-office and public page of a project at 1,000 and at 100,000 participants.

Run (PostgreSQL only; a database of its own, created empty, the bench's projects are added):
    createdb -h 127.0.0.1 -U postgres lider_pages
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lider_pages \\
        .venv/bin/python bench/bench_pages.py [--sizes 1000 100000] [--rounds 20]

The builder has the shape of bench_indicators.py's (four counties, a group each, a training
cycle of ten sessions per group, every participant enrolled and marked at each of their ten
sessions, a valid certificate from 80 % attended, a forum, four indicators), and writes its
people, participants, enrolments, marks and certificates with COPY (lider.core.bulk): 100,000
participants and 1,000,000 marks in minutes. The pre-aggregated attendance totals and the
indicator totals (``lider.reporting.totals``; its time printed: the worker's cost after a
change) and the applications' kept counts are rebuilt once at the end (the rows bypass the
services that keep them).

For each size it prints, per page: the p95 and median of --rounds requests (after two that are
not counted) through Django's test client as a coordinator (public pages anonymous, not
cached: the public-page cache is Redis-only), and the queries one request runs; beside them,
the raw aggregate — one hand-written grouped SQL over the task's marks (minutes attended per
participant), the floor of computing a figure from the records. Every participant also has
an accepted application (the applications list) and two audit entries (the audit trail); the
verification page's limit of look-ups per address is lifted for the bench's one address.
Goal (issue 15): every page at most 300 ms p95, the same queries at both sizes, and 100k within
2x of 1k.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lider.settings")

import django  # noqa: E402

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from lider.certification import public_views as verification  # noqa: E402
from lider.certification.models import Certificate, CertificateSeries  # noqa: E402
from lider.core import bulk  # noqa: E402
from lider.core.models import AuditEntry  # noqa: E402
from lider.core.permissions import Role  # noqa: E402
from lider.delivery import aggregates  # noqa: E402
from lider.delivery.models import Attendance, Enrolment, Group, Session, Venue  # noqa: E402
from lider.people.models import Participant, Person  # noqa: E402
from lider.projects.models import Membership, Organisation, ProgrammeNode, Project, Task  # noqa: E402
from lider.recruitment import totals as application_totals  # noqa: E402
from lider.recruitment.models import Application  # noqa: E402
from lider.reporting import totals  # noqa: E402
from lider.reporting.models import Indicator  # noqa: E402
from lider.territory.queries import gminas_in, unit_by_code  # noqa: E402

COUNTIES = ["2464", "2404", "2409", "2407"]
SESSIONS_PER_GROUP = 10


def _template_row(model, instance, keep=()) -> tuple[list[str], list]:
    """Column names and values of ``instance``; ``keep`` names automatic time columns given
    their own values (else the time now)."""
    names = [
        f.attname
        for f in model._meta.concrete_fields
        if not f.primary_key
        and (
            f.attname in keep
            or not (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))
        )
    ]
    return names, [getattr(instance, name) for name in names]


def _rows(model, instance, count, vary, keep=()):
    """``count`` rows of ``model`` like ``instance``, with ``vary(n)`` → {name: value}."""
    names, template = _template_row(model, instance, keep)
    index = {name: i for i, name in enumerate(names)}
    for n in range(count):
        row = list(template)
        for name, value in vary(n).items():
            row[index[name]] = value
        yield row


def _copy(model, instance, count, vary, chunk=50_000, keep=()):
    names = _template_row(model, instance, keep)[0]
    rows = _rows(model, instance, count, vary, keep)
    while True:
        batch = [row for _, row in zip(range(chunk), rows, strict=False)]
        if not batch:
            return
        bulk.insert_values(model, names, batch)


def _code(tag: str, n: int) -> str:
    """A verification code of the real alphabet, one prefix letter per size."""
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    digits = []
    for _ in range(9):
        n, rest = divmod(n, len(alphabet))
        digits.append(alphabet[rest])
    return ("K" if tag == "1k" else "M") + "".join(reversed(digits))


def build(count: int, tag: str, offset: int = 0):
    """A project of ``count`` participants; returns (project, task, a session, a participant).
    ``offset`` numbers its people and certificates after those of other projects built."""
    started = time.perf_counter()
    organisation = Organisation.objects.create(name=f"Izba {tag}", city="Częstochowa")
    node = ProgrammeNode.objects.create(level="submeasure", code=f"b{tag}", name="Poddziałanie")
    today = datetime.date.today()
    project = Project.objects.create(
        slug=f"bench-pages-{tag}",
        number=f"WND-PAGES-{tag}",
        title=f"Bench {tag}",
        cofinancing_statement="UE",
        classification=node,
        institution=organisation,
        applicant=organisation,
        start_date=today - datetime.timedelta(days=200),
        end_date=today + datetime.timedelta(days=200),
        main_goal="Cel",
        state=Project.State.RUNNING,
    )
    counties = [unit_by_code(code) for code in COUNTIES]
    project.counties.set(counties)
    gminas = [gminas_in([county]) for county in counties]
    task = Task.objects.create(project=project, kind=Task.Kind.TRAINING_CYCLE, title="Cykl")
    forum = Task.objects.create(project=project, kind=Task.Kind.FORUM, title="Fora")
    goal = project.specific_goals.create(order=1, text="Cel")
    first_day = today - datetime.timedelta(days=7 * SESSIONS_PER_GROUP)
    with transaction.atomic():
        groups, sessions = [], []
        for c, county in enumerate(counties):
            venue = Venue.objects.create(
                project=project, name=f"Sala {c}", city="X", gmina=gminas[c][0]
            )
            groups.append(Group.objects.create(task=task, name=f"Grupa {c}", county=county))
            for day in range(SESSIONS_PER_GROUP):
                sessions.append(
                    Session(
                        task=task,
                        group=groups[c],
                        title=f"Dzień {day + 1}",
                        date=first_day + datetime.timedelta(days=7 * day),
                        start_time=datetime.time(9),
                        end_time=datetime.time(15),
                        venue=venue,
                        is_public=True,
                    )
                )
            sessions.append(
                Session(
                    task=forum,
                    title="Forum",
                    date=today,
                    start_time=datetime.time(10),
                    end_time=datetime.time(14),
                    venue=venue,
                    is_public=True,
                )
            )
        Session.objects.bulk_create(sessions)
        by_group = {g.pk: [] for g in groups}
        for session in Session.objects.filter(task=task).order_by("date", "pk"):
            by_group[session.group_id].append(session.pk)

        person = Person(
            first_name="Anna", last_name="x", birth_date=datetime.date(1970, 1, 1), sex="K"
        )
        _copy(
            Person,
            person,
            count,
            lambda n: {
                "first_name": "Anna" if n % 5 < 3 else "Jan",
                "last_name": f"Nowak-{tag}-{n:06d}",
                "pesel": f"{tag[:1]}{offset + n:010d}",
                "sex": "K" if n % 5 < 3 else "M",
                "gmina_id": gminas[n % 4][n % len(gminas[n % 4])].pk,
            },
        )
        person_ids = list(
            Person.objects.filter(last_name__startswith=f"Nowak-{tag}-")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        _copy(
            Participant,
            Participant(project=project, start_date=project.start_date),
            count,
            lambda n: {"person_id": person_ids[n]},
        )
        ids = list(
            Participant.objects.filter(project=project).order_by("pk").values_list("pk", flat=True)
        )
        now = timezone.now()
        _copy(
            Enrolment,
            Enrolment(task=task, status="completed", enrolled_at=now),
            count,
            lambda n: {"participant_id": ids[n], "group_id": groups[n % 4].pk},
        )
        mark = Attendance(status="present", marked_at=now)
        per = SESSIONS_PER_GROUP

        def attendance(k):
            n, s = divmod(k, per)
            # Everyone attends the first seven; of the last three, a pattern by person.
            status = "present" if s < 7 or (n + s) % 3 else "absent"
            return {
                "participant_id": ids[n],
                "session_id": by_group[groups[n % 4].pk][s],
                "status": status,
            }

        _copy(Attendance, mark, count * per, attendance, chunk=200_000)
        series = CertificateSeries.objects.create(project=project, task=task, pattern="B/{seq}")
        certified = [pk for n, pk in enumerate(ids) if n % 3]
        certificate = Certificate(
            project=project,
            task=task,
            series=series,
            issued_on=today,
            issued_at=now,
            full_name="x",
            training_title="Cykl",
            hours=60,
            start_date=first_day,
            end_date=today,
            project_title="Bench",
            project_number="WND",
            cofinancing="UE",
            verification_url="http://x",
            evaluation={},
            sha256="0" * 64,
        )
        _copy(
            Certificate,
            certificate,
            len(certified),
            lambda i: {
                "participant_id": certified[i],
                "sequence": i + 1,
                "number": f"B{tag}/{i + 1}",
                "code": _code(tag, offset + i),
            },
        )
        # Everyone applied (the applications list), accepted: each application made its
        # participant; newest first on the list.
        application = Application(
            project=project,
            status=Application.Status.ACCEPTED,
            identity=Application.Identity.NEW,
            source=Application.Source.IMPORT,
            submitted_at=now,
            is_eligible=True,
            score=10,
        )
        _copy(
            Application,
            application,
            count,
            lambda n: {
                "person_id": person_ids[n],
                "participant_id": ids[n],
                "pesel": f"{tag[:1]}{offset + n:010d}",
                "submitted_at": now - datetime.timedelta(minutes=count - n),
            },
        )
        # Two entries of the audit trail per participant (their enrolment's status changes).
        entry = AuditEntry(
            project_id=project.pk,
            action=AuditEntry.Action.STATUS,
            content_type=ContentType.objects.get_for_model(Enrolment),
            changes={"status": ["qualified", "participating"]},
            at=now,
        )
        _copy(
            AuditEntry,
            entry,
            2 * count,
            lambda n: {
                "object_id": str(n // 2 + 1),
                "object_repr": f"Nowak-{tag}-{n // 2:06d} – Cykl",
                "at": now - datetime.timedelta(seconds=2 * count - n),
            },
            chunk=100_000,
            keep=("at",),
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
        aggregates.rebuild(project)
        application_totals.rebuild(project)  # the applications were written with COPY
    with connection.cursor() as cursor:
        # As autovacuum does after a bulk insert: statistics, and the visibility map that
        # lets counts be answered from an index alone.
        cursor.execute("VACUUM ANALYZE")
    # The indicator totals, as the worker computes them after a change (timed: its cost).
    rebuilt = time.perf_counter()
    totals.rebuild(project)
    print(f"indicator totals rebuilt in {time.perf_counter() - rebuilt:.1f} s", flush=True)
    print(
        f"built {count:,} participants, {count * SESSIONS_PER_GROUP:,} marks, "
        f"{len(certified):,} certificates, {count:,} applications, {2 * count:,} audit entries "
        f"in {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    session = Session.objects.filter(task=task).order_by("pk").first()
    code = Certificate.objects.filter(project=project).values_list("code", flat=True).first()
    return project, task, session, ids[len(ids) // 2], code


def pages(project, task, session, participant, code):
    slug = project.slug
    office = [
        ("session page", reverse("delivery:session", args=[slug, session.pk])),
        ("session page, picker search", None),
        ("task page (shares)", reverse("delivery:task", args=[slug, task.pk])),
        (
            "participant in task",
            reverse("delivery:participant", args=[slug, task.pk, participant]),
        ),
        ("calendar", reverse("delivery:calendar", args=[slug])),
        ("people list", reverse("people:list", args=[slug])),
        ("people search", reverse("people:list", args=[slug]) + "?q=Nowak-x-000123"),
        ("applications", reverse("recruitment:list", args=[slug])),
        ("audit trail", reverse("projects:audit", args=[slug])),
        ("certificates of the task", reverse("certification:task", args=[slug, task.pk])),
        ("indicators dashboard", reverse("reporting:dashboard", args=[slug])),
    ]
    public = [
        ("public project page", reverse("website:project", args=[slug])),
        ("public results page", reverse("website:results", args=[slug])),
        ("public calendar", reverse("delivery_public:project_calendar", args=[slug])),
        ("verification", reverse("certification_public:verify", args=[code])),
    ]
    return office, public


def measure(client, url, rounds, *, post=None):
    def once():
        return client.post(url, post) if post is not None else client.get(url)

    for _ in range(2):
        once()
    queries = []

    def counted(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        response = once()
    assert response.status_code == 200, (url, response.status_code)
    times = []
    budget = time.perf_counter() + 60  # a slow page is measured fewer times
    for _ in range(rounds):
        started = time.perf_counter()
        once()
        times.append((time.perf_counter() - started) * 1000)
        if time.perf_counter() > budget and len(times) >= 3:
            break
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return p95, statistics.median(times), len(queries), len(response.content)


def raw_aggregate(task, rounds=5) -> float:
    sql = (
        "SELECT a.participant_id, SUM(EXTRACT(EPOCH FROM (s.end_time - s.start_time)) / 60) "
        "FROM delivery_attendance a JOIN delivery_session s ON s.id = a.session_id "
        "WHERE s.task_id = %s AND a.status IN ('present', 'late') GROUP BY a.participant_id"
    )
    times = []
    with connection.cursor() as cursor:
        for _ in range(rounds):
            started = time.perf_counter()
            cursor.execute(sql, [task.pk])
            cursor.fetchall()
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def run(count, rounds, user, skip=()):
    tag = f"{count // 1000}k"
    project, task, session, participant, code = build(count, tag)
    for role in (Role.COORDINATOR, Role.AUDITOR):  # the audit trail is the auditor's page
        Membership.objects.create(project=project, user=user, role=role)
    office, public = pages(project, task, session, participant, code)
    staff, anonymous = Client(), Client()
    staff.force_login(user)
    results = {}
    office = [(n, u) for n, u in office if not any(word in n for word in skip)]
    public = [(n, u) for n, u in public if not any(word in n for word in skip)]
    for name, url in office:
        if url is None:
            url = reverse("delivery:book", args=[project.slug, session.pk])
            post = {"participant__q": "Nowak 0001", "_picker": "participant"}
            results[name] = measure(staff, url, rounds, post=post)
        else:
            results[name] = measure(staff, url, rounds)
        print(f"  {tag} {name}: p95 {results[name][0]:.0f} ms", flush=True)
    for name, url in public:
        results[name] = measure(anonymous, url, rounds)
        print(f"  {tag} {name}: p95 {results[name][0]:.0f} ms", flush=True)
    return results, raw_aggregate(task)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument(
        "--skip", nargs="*", default=[], help="pages to leave out, by name (e.g. certificates)"
    )
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("This bench runs on PostgreSQL: set DATABASE_URL.")
    setup_test_environment()  # the test client's response context; DEBUG stays off
    # The bench measures the verification page, not its limit of look-ups per address (all
    # of the bench's requests come from one address): lifted here, never in production.
    verification.LIMIT = 10**9
    call_command("migrate", verbosity=0)
    from django.contrib.auth.models import User

    user = User.objects.create_user(f"bench-{time.time_ns()}", password="x")
    measured = [(count, *run(count, args.rounds, user, args.skip)) for count in args.sizes]
    names = list(measured[0][1])
    header = "".join(f" | {c:>7,} p95 / med / q" for c, _, _ in measured)
    print(f"\n{'page':32}{header} | ratio")
    for name in names:
        cells = "".join(
            f" | {r[name][0]:7.0f} / {r[name][1]:4.0f} / {r[name][2]:2d}" for _, r, _ in measured
        )
        ratio = measured[-1][1][name][0] / max(measured[0][1][name][0], 0.1)
        print(f"{name:32}{cells} | {ratio:.1f}x")
    raw = "".join(f" | {c:>7,}: {ms:9.0f} ms        " for c, _, ms in measured)
    print(f"{'raw aggregate (SQL, the task)':32}{raw}")


if __name__ == "__main__":
    main()
