"""Delivery figures: the demo schedule's load time, the attendance-share query, the attendance
list PDF, and 50 concurrent bookings into a session of 30 places.

Run: .venv/bin/python bench/bench_delivery.py [--rounds N]
     DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python bench/bench_delivery.py

Works in a throw-away test database (a temporary SQLite *file*, so that threads can share it,
or the PostgreSQL test database). Figures are medians of N rounds; shared machines vary ±30 %.
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lider.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, connections, reset_queries  # noqa: E402
from django.test.runner import DiscoverRunner  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402


def median_ms(function, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(rounds: int) -> None:
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from lider.delivery import places
    from lider.delivery.models import Attendance, Session, SessionBooking
    from lider.delivery.queries import attendance_shares
    from lider.people.models import Participant
    from lider.projects.models import Project
    from lider.website.demo.delivery import load_delivery
    from lider.website.demo.people import load_people
    from lider.website.demo.project import SLUG

    call_command("demo", stdout=io.StringIO())
    project = Project.objects.get(slug=SLUG)
    population = load_people(project)

    # 1. Loading the schedule: delete it and load it again.
    def reload_schedule():
        Attendance.objects.filter(session__task__project=project).delete()
        SessionBooking.objects.filter(session__task__project=project).delete()
        project.tasks.get(kind="training_cycle").enrolments.all().delete()
        project.tasks.get(kind="group_advisory").enrolments.all().delete()
        Session.objects.filter(task__project=project).delete()
        from lider.delivery.models import Group

        Group.objects.filter(task__project=project).delete()
        started = time.perf_counter()
        schedule = load_delivery(project, population)
        return (time.perf_counter() - started) * 1000, schedule

    load_times = [reload_schedule() for _ in range(rounds)]
    schedule = load_times[-1][1]
    print(
        f"demo schedule ({schedule.sessions} sessions, {schedule.enrolments} enrolments, "
        f"{schedule.bookings} bookings, {schedule.marks} marks): "
        f"{statistics.median(t for t, _ in load_times):.0f} ms"
    )

    # 2. The attendance-share query for the training cycle (100 participants).
    training = project.tasks.get(kind="training_cycle")
    with CaptureQueriesContext(connection) as queries:
        rows = list(attendance_shares(training))
    reached = sum(1 for row in rows if row.share is not None and row.share >= 0.8)
    print(
        f"attendance_shares(training): {len(rows)} rows, {len(queries)} query, "
        f"{reached} at 80 % or more, "
        f"{median_ms(lambda: list(attendance_shares(training)), rounds):.1f} ms"
    )

    # 3. Pages and the PDF as the trainer sees them.
    client = Client()
    client.force_login(User.objects.get(username="trener"))
    session = Session.objects.filter(task=training).first()
    for name, url in [
        ("session page (25 rows)", reverse("delivery:session", args=[SLUG, session.pk])),
        ("attendance list PDF (25 rows)", reverse("delivery:list_pdf", args=[SLUG, session.pk])),
        ("task page (100 rows)", reverse("delivery:task", args=[SLUG, training.pk])),
        ("calendar, March 2010", reverse("delivery:calendar", args=[SLUG]) + "?miesiac=2010-03"),
    ]:
        client.get(url)  # warm up
        print(f"{name}: {median_ms(lambda u=url: client.get(u), rounds):.0f} ms")

    # 4. 50 bookings at once into 30 places.
    conference = Session.objects.filter(task__project=project, is_public=True).last()
    SessionBooking.objects.filter(session=conference).delete()
    Attendance.objects.filter(session=conference).delete()
    Session.objects.filter(pk=conference.pk).update(capacity=30)
    office = User.objects.get(username="biuro")
    people = list(Participant.objects.filter(project=project, person__isnull=False)[:50])
    barrier = threading.Barrier(len(people))
    errors = []

    def book(person):
        try:
            barrier.wait()
            places.book_session(conference, participant=person, actor=office)
        except Exception as error:  # noqa: BLE001 - counted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(p,)) for p in people]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = (time.perf_counter() - started) * 1000
    statuses = list(
        SessionBooking.objects.filter(session=conference).values_list("status", flat=True)
    )
    print(
        f"50 concurrent bookings, 30 places ({connection.vendor}): "
        f"{statuses.count('booked')} booked, {statuses.count('waiting')} waiting, "
        f"{len(errors)} errors, {elapsed:.0f} ms"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        database.setdefault("TEST", {})["NAME"] = str(
            Path(tempfile.mkdtemp()) / "bench_delivery.sqlite3"
        )
    setup_test_environment()
    runner = DiscoverRunner(verbosity=0)
    old = runner.setup_databases()
    try:
        reset_queries()
        main(args.rounds)
    finally:
        connections.close_all()
        runner.teardown_databases(old)
