"""Confirming an import's preview queues a job: the request saves nobody, `lider worker`
imports the file (all rows or none) and the job's page says what was imported."""

import datetime
import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from stdnum.pl import pesel as stdnum_pesel

from lider.core import table_reader
from lider.core.models import AuditEntry
from lider.core.permissions import Role
from lider.jobs import services
from lider.jobs.models import Job
from lider.people.models import Person
from lider.recruitment import bulk_import
from lider.recruitment.models import Application, Consent
from tests.factories import member
from tests.people.test_importing import row
from tests.recruitment.test_import import confirm, csv_file, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_worker_checks_the_upload_and_imports_the_confirmed_file(
    client, project, settings, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    office = member(project, Role.OFFICE)
    client.force_login(office)
    preview = upload(
        client,
        project,
        csv_file(row(), row(PESEL="05210512347", Płeć="", **{"Data urodzenia": ""})),
    )
    check = Job.objects.get()
    assert (check.kind, check.status) == ("recruitment.import_check", Job.Status.QUEUED)
    waiting = client.get(preview).content.decode()
    assert 'role="status" aria-live="polite"' in waiting and "hx-trigger=" in waiting
    assert "Gotowe do importu" not in waiting  # the request read nothing of the file
    assert client.get(preview, HTTP_HX_REQUEST="true").content.decode().count("<progress") == 1

    run_worker()  # the check

    check.refresh_from_db()
    assert (check.status, check.counts) == (Job.Status.DONE, {"checked": 3})
    assert (check.result["total"], check.result["ready"], check.result["errors"]) == (2, 2, [])
    polled = client.get(preview, HTTP_HX_REQUEST="true")
    assert (polled.status_code, polled["HX-Refresh"]) == (204, "true")
    page = client.get(preview).content.decode()
    assert "Gotowe do importu: 2" in page and "hx-trigger" not in page

    started = confirm(client, preview, {"consents_signed": "on"})

    job = Job.objects.get(kind="recruitment.import")
    assert (job.status, job.owner) == (Job.Status.QUEUED, office)
    assert not Application.objects.exists()  # the request imported nobody
    page = client.get(started.url).content.decode()
    assert 'role="status" aria-live="polite"' in page and "hx-trigger=" in page
    assert "Import pliku osoby.csv" in page

    run_worker()

    job.refresh_from_db()
    assert (job.status, job.progress, job.error) == (Job.Status.DONE, 100, "")
    assert job.counts == {"checked": 3, "written": 2}
    assert Application.objects.filter(project=project, source="import").count() == 2
    assert not list(tmp_path.joinpath("imports").iterdir())  # the file went with the import
    fragment = client.get(started.url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in fragment
    assert "Zaimportowano zgłoszenia: 2; pominięto duplikaty: 0." in fragment
    assert "Sprawdzone wiersze: 3; zapisane wiersze: 2." in fragment
    # The page forgot the preview: it cannot be imported twice.
    assert client.get(preview).status_code == 404


def good_rows(count: int) -> list[list[str]]:
    """`count` valid rows with distinct PESELs (women born in January 1990)."""
    rows = []
    for n in range(count):
        body = f"9001{1 + n // 1000:02d}{n % 1000:03d}4"
        pesel = body + stdnum_pesel.calc_check_digit(body)
        rows.append(row(PESEL=pesel, Płeć="", **{"Data urodzenia": ""}))
    return rows


def test_an_import_writes_chunk_by_chunk_and_keeps_everything(client, project, monkeypatch):
    monkeypatch.setattr(table_reader, "CHUNK_ROWS", 4)  # 10 rows: three chunks, and a header
    client.force_login(member(project, Role.OFFICE))
    preview = upload(client, project, csv_file(*good_rows(10)))

    job = confirm(client, preview, {"consents_signed": "on"}, follow=True)

    assert "Zaimportowano zgłoszenia: 10" in job.content.decode()
    assert Application.objects.filter(project=project, source="import").count() == 10
    assert Person.objects.count() == 10
    assert Job.objects.get(kind="recruitment.import").counts == {"checked": 11, "written": 10}


def test_a_bad_row_in_a_late_chunk_undoes_the_chunks_written_before_it(
    client, project, monkeypatch, tmp_path
):
    monkeypatch.setattr(table_reader, "CHUNK_ROWS", 4)
    client.force_login(member(project, Role.OFFICE))
    rows = good_rows(10)
    preview = upload(client, project, csv_file(*rows))
    # The file changes under the preview (its check was good): row 11 is now bad.
    name = next(tmp_path.joinpath("imports").iterdir())
    rows[9] = row(PESEL="90010112348", Płeć="", **{"Data urodzenia": ""})
    name.write_bytes(csv_file(*rows).read())
    audit_before = AuditEntry.objects.count()
    written = []
    original = bulk_import.ApplicationWriter.write
    monkeypatch.setattr(
        bulk_import.ApplicationWriter,
        "write",
        lambda self, people, held=None: written.append(len(people)) or original(self, people, held),
    )

    job = confirm(client, preview, {"consents_signed": "on"}, follow=True).content.decode()

    assert written == [3, 4]  # the first chunks went to the database before row 11 was read
    assert "1 wiersz zawiera błędy, więc nic nie zaimportowano" in job
    assert not Application.objects.exists() and not Person.objects.exists()
    assert not Consent.objects.exists() and AuditEntry.objects.count() == audit_before


def make_job(project, status, kind="recruitment.import") -> Job:
    return Job.objects.create(project=project, kind=kind, title="Import", status=status)


def test_a_job_whose_worker_died_is_marked_failed_by_the_command_and_the_worker(project):
    now = timezone.now()
    stuck = make_job(project, Job.Status.RUNNING)
    alive = make_job(project, Job.Status.RUNNING)
    Job.objects.filter(pk=stuck.pk).update(updated_at=now - datetime.timedelta(minutes=31))
    Job.objects.filter(pk=alive.pk).update(updated_at=now - datetime.timedelta(minutes=5))
    out = io.StringIO()

    call_command("fail_stuck_jobs", "--dry-run", stdout=out)
    assert Job.objects.get(pk=stuck.pk).status == Job.Status.RUNNING
    call_command("fail_stuck_jobs", stdout=out)

    stuck.refresh_from_db()
    assert (stuck.status, stuck.error) == (
        Job.Status.FAILED,
        "Proces roboczy wykonujący to zadanie zatrzymał się przed jego końcem (przez 30 minut "
        "nic się nie zmieniło), więc zadanie przerwano i nic z jego pracy nie zachowano. "
        "Uruchom je ponownie.",
    )
    assert stuck.finished_at is not None
    assert Job.objects.get(pk=alive.pk).status == Job.Status.RUNNING
    assert out.getvalue().splitlines() == [
        "1 job(s) running with no progress for 30 minutes would be marked failed.",
        "1 job(s) running with no progress for 30 minutes marked failed.",
    ]
    # A worker starting marks them too (the one that died left them "running").
    Job.objects.filter(pk=alive.pk).update(updated_at=now - datetime.timedelta(minutes=40))
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        run_worker()
    assert Job.objects.get(pk=alive.pk).status == Job.Status.FAILED


def test_a_job_failed_as_stuck_keeps_its_message_when_its_runner_ends_late(project):
    job = make_job(project, Job.Status.QUEUED, kind="tests.late")

    def late(job, progress):
        Job.objects.filter(pk=job.pk).update(
            updated_at=timezone.now() - datetime.timedelta(hours=1)
        )
        services.fail_stuck_jobs()  # another worker starting meanwhile
        return {"done": True}

    with mock.patch.dict(services.RUNNERS, {"tests.late": late}):
        assert services.run_job(job.pk) == Job.Status.DONE

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.error.startswith("Proces roboczy")


def run_worker() -> None:
    """`lider worker --batch` inside the test's transaction. The worker closes connections
    that are not in autocommit between tasks (right for a real worker); in a test that would
    close PostgreSQL's connection in the middle of the test's transaction (SQLite's in-memory
    database ignores the close), so it is kept open here."""
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        call_command("worker", "--batch", "--no-startup-delay", stdout=io.StringIO())
