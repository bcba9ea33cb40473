"""The import's progress is seen while its transaction is still open (PostgreSQL only: the
job's row is updated through a connection of its own, which SQLite's single writer forbids)."""

import json

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from lider.jobs import services
from lider.jobs.models import Job
from lider.recruitment import import_jobs
from tests.factories import member
from tests.people.test_importing import HEADER, row

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Live progress uses a second connection, on PostgreSQL only.",
    ),
]


def stored(job_id):
    """The job's progress and counts as another connection (the polling page) sees them."""
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with other.cursor() as cursor:
            cursor.execute(
                f"SELECT progress, counts FROM {Job._meta.db_table} WHERE id = %s", [job_id]
            )
            progress, counts = cursor.fetchone()
    finally:
        other.close()
    return progress, json.loads(counts) if isinstance(counts, str) else counts


def test_progress_is_seen_by_others_while_the_transaction_is_open(project):
    job = Job.objects.create(project=project, kind=import_jobs.KIND, title="x")
    progress = services.Progress(job, interval=0)
    with transaction.atomic():
        progress.report(5, 10, checked=5, written=3)
        assert stored(job.pk) == (50, {"checked": 5, "written": 3})
        progress.close()
        assert progress.side is None
        transaction.set_rollback(True)
    assert stored(job.pk) == (50, {"checked": 5, "written": 3})  # kept: not the import's


def test_the_import_reports_rows_checked_and_written_as_it_goes(project, monkeypatch):
    monkeypatch.setattr("lider.core.table_reader.CHUNK_ROWS", 2)
    job = Job.objects.create(project=project, kind=import_jobs.KIND, title="x")
    progress = services.Progress(job, interval=0)
    seen = []
    report = progress.report

    def watched(done, total, **counts):
        report(done, total, **counts)
        seen.append(stored(job.pk))

    monkeypatch.setattr(progress, "report", watched)
    pesels = ["90010112349", "05210512347", "85071512348", "02270803624", "71052411111"]
    rows = [row(PESEL=p, Płeć="", **{"Data urodzenia": ""}) for p in pesels]
    content = "\n".join(";".join(r) for r in [HEADER, *rows]).encode()

    with transaction.atomic():
        checked, count = import_jobs.import_content(
            project,
            content,
            filename="osoby.csv",
            actor=member(project, "office"),
            consents_signed=False,
            progress=progress,
        )
        progress.close()

    assert (checked.errors, checked.duplicates, count) == ([], [], 5)
    # Chunks of two lines of the file (the header is the first's), each seen by another
    # connection before the commit: lines checked of the file's six, people written.
    assert seen == [
        (33, {"checked": 2, "written": 1}),
        (66, {"checked": 4, "written": 3}),
        (99, {"checked": 6, "written": 5}),
    ]
