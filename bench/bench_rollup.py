"""The roll-up (/biuro/zestawienie/) over many projects: 1,000,000 attendance marks or more.

Run (PostgreSQL only; a database of its own, created empty):
    createdb -h 127.0.0.1 -U postgres lider_rollup
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lider_rollup \\
        .venv/bin/python bench/bench_rollup.py [--projects 20] [--participants 5000] [--rounds 20]

It builds ``--projects`` projects with bench_pages' builder (COPY; ten marks per participant,
four indicators each, certificates), so the default is 100,000 participants and 1,000,000
marks; ``--participants 50000`` gives 10,000,000. A funder holding every project opens the
roll-up page; it prints the p95 and median of ``--rounds`` requests and the queries of one:
with the indicator totals current (read from ``MeasureTotal``), and with them stale (counted
from the records, as before the totals), beside the raw aggregate — one hand-written grouped
SQL of the minutes attended per project over every mark.
"""

import argparse
import statistics
import time

import bench_pages  # noqa: F401 - sets Django up
from bench_pages import build, measure
from django.db import connection
from django.test import Client
from django.urls import reverse

from lider.core.permissions import Role
from lider.projects.models import Membership
from lider.reporting.models import TotalsState


def raw_aggregate(rounds=5) -> float:
    sql = (
        "SELECT p.project_id, SUM(EXTRACT(EPOCH FROM (s.end_time - s.start_time)) / 60) "
        "FROM delivery_attendance a JOIN delivery_session s ON s.id = a.session_id "
        "JOIN people_participant p ON p.id = a.participant_id "
        "WHERE a.status IN ('present', 'late') GROUP BY p.project_id"
    )
    times = []
    with connection.cursor() as cursor:
        for _ in range(rounds):
            started = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=20)
    parser.add_argument("--participants", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("This bench runs on PostgreSQL: set DATABASE_URL.")
    from django.contrib.auth.models import User
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    projects = [
        build(args.participants, f"r{n}", offset=n * args.participants)[0]
        for n in range(args.projects)
    ]
    marks = args.projects * args.participants * bench_pages.SESSIONS_PER_GROUP
    print(
        f"built {args.projects} projects, {marks:,} marks in {time.perf_counter() - started:.0f} s"
    )
    funder = User.objects.create_user(f"bench-funder-{time.time_ns()}", password="x")
    Membership.objects.bulk_create(
        Membership(project=project, user=funder, role=Role.FUNDER) for project in projects
    )
    client = Client()
    client.force_login(funder)
    url = reverse("rollup:page")
    current = measure(client, url, args.rounds)
    TotalsState.objects.update(built=None)  # every project's totals stale: counted from records
    stale = measure(client, url, args.rounds)
    raw = raw_aggregate()
    print(f"\nroll-up over {args.projects} projects, {marks:,} marks | p95 / median ms | queries")
    print(f"{'totals current':28} | {current[0]:7.0f} / {current[1]:5.0f} | {current[2]}")
    print(f"{'totals stale (records)':28} | {stale[0]:7.0f} / {stale[1]:5.0f} | {stale[2]}")
    print(f"{'raw aggregate (SQL, marks)':28} | {raw:7.0f} (median)")


if __name__ == "__main__":
    main()
