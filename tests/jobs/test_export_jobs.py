"""A monitoring export is a background job: the request only queues it, the worker writes the
file to the storage with its progress, the page polls it and offers the file when ready."""

import datetime
import io
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from python_calamine import CalamineWorkbook

from lider.core.models import AuditEntry
from lider.core.permissions import Role
from lider.jobs import services
from lider.jobs.models import Job
from tests.factories import ProjectFactory, member
from tests.reporting import export_jobs
from tests.reporting.builders import build
from tests.reporting.test_exports import complete

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def job_url(name, job):
    return reverse(name, kwargs={"slug": job.project.slug, "pk": job.pk})


def test_the_request_queues_the_export_and_the_worker_makes_the_file(client, settings, tmp_path):
    settings.TASKS = DB_TASKS
    world = build(women=2, men=1)
    complete(world)
    client.force_login(member(world.project, Role.COORDINATOR))

    started = export_jobs.start(client, world.project.slug, "pefs2007")

    job = Job.objects.get()
    assert started.url == job_url("reporting:export_job", job)
    assert (job.status, job.progress, job.owner.username) == (
        Job.Status.QUEUED,
        0,
        job.owner.username,
    )
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).exists()
    page = client.get(started.url).content.decode()
    assert 'role="status" aria-live="polite"' in page
    assert f'hx-get="{started.url}" hx-trigger="every 1s"' in page  # polls while it waits
    assert "czeka na proces zadań w tle" in page
    assert "pobierz/" not in page

    run_worker()

    job.refresh_from_db()
    assert (job.status, job.progress, job.error) == (Job.Status.DONE, 100, "")
    assert job.result == {"rows": 3, "incomplete": 0}
    assert job.file.name.startswith("jobs/") and (tmp_path / job.file.name).is_file()
    fragment = client.get(started.url, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="progress"') and "<html" not in fragment
    assert "hx-trigger" not in fragment  # finished: the polling stops
    assert f'href="{job_url("reporting:export_file", job)}"' in fragment
    assert "Wierszy: 3" in fragment
    response = client.get(job_url("reporting:export_file", job))
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert len(rows) == 4
    assert response["Content-Disposition"].startswith('attachment; filename="pefs2007_')
    notes = list(
        AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).values_list("note", flat=True)
    )
    assert len(notes) == 2 and "file %(file)s downloaded" in notes


def test_progress_is_stored_as_the_rows_are_written():
    job = Job.objects.create(project=ProjectFactory(), kind="reporting.export", title="x")
    progress = services.Progress(job, interval=0)

    seen = []
    for _item in progress.counting(range(2500), total=2500):
        seen.append(Job.objects.get(pk=job.pk).progress)

    assert sorted(set(seen)) == [0, 40, 80]
    progress.report(2500, 2500)
    assert Job.objects.get(pk=job.pk).progress == 99  # 100 only when the file is kept


def test_a_failed_job_says_why_in_polish_and_keeps_no_file(client, monkeypatch):
    world = build(women=1, men=0)
    client.force_login(member(world.project, Role.COORDINATOR))

    def refuses(job, progress):
        raise ValidationError("Brak numeru umowy w karcie projektu.")

    def breaks(job, progress):
        raise RuntimeError("boom")

    for runner, message in (
        (refuses, "Brak numeru umowy w karcie projektu."),
        (breaks, "Zadanie nie powiodło się i nic nie zostało zapisane."),
    ):
        monkeypatch.setitem(services.RUNNERS, "reporting.export", runner)
        started = export_jobs.start(client, world.project.slug, "pefs2007")
        job = Job.objects.get(pk=export_jobs.job_pk(started))
        assert job.status == Job.Status.FAILED and not job.file
        assert job.error.startswith(message)
        page = client.get(started.url).content.decode()
        assert message in page and "boom" not in page
        assert client.get(job_url("reporting:export_file", job)).status_code == 404


def test_a_job_is_run_once_however_often_its_task_is_delivered():
    world = build(women=1, men=0)
    complete(world)
    job = services.start_job(
        world.project,
        kind="reporting.export",
        title="PEFS",
        params={"profile": "pefs2007", "full_sensitive": False},
        actor=None,
    )
    assert services.run_job(job.pk) == Job.Status.DONE
    assert services.run_job(job.pk) == Job.Status.DONE
    assert AuditEntry.objects.filter(action=AuditEntry.Action.EXPORT).count() == 1


def test_whole_pesels_go_only_to_a_role_that_may_export_them(client):
    world = build(women=1, men=0)
    complete(world)
    coordinator = member(world.project, Role.COORDINATOR)
    client.force_login(coordinator)
    job = Job.objects.get(
        pk=export_jobs.job_pk(export_jobs.start(client, world.project.slug, "sl2014"))
    )
    assert job.params == {"profile": "sl2014", "full_sensitive": True}
    assert client.get(job_url("reporting:export_file", job)).status_code == 200

    client.force_login(member(world.project, Role.PARTNER))  # may export, masked only
    refused = client.get(job_url("reporting:export_file", job))
    assert refused.status_code == 403
    assert "pełne numery PESEL" in refused.content.decode()

    outsider = ProjectFactory()
    client.force_login(member(outsider, Role.COORDINATOR))
    url = reverse("reporting:export_file", kwargs={"slug": outsider.slug, "pk": job.pk})
    assert client.get(url).status_code == 404


def test_files_are_deleted_after_their_time_and_the_page_says_so(client, settings, tmp_path):
    settings.LIDER_JOB_FILE_HOURS = 24
    world = build(women=1, men=0)
    complete(world)
    client.force_login(member(world.project, Role.COORDINATOR))
    job = Job.objects.get(
        pk=export_jobs.job_pk(export_jobs.start(client, world.project.slug, "pefs2007"))
    )
    assert (tmp_path / job.file.name).is_file()
    assert services.purge_expired_files(now=timezone.now() + datetime.timedelta(hours=23)) == 0

    Job.objects.filter(pk=job.pk).update(finished_at=timezone.now() - datetime.timedelta(hours=25))
    newer = export_jobs.start(client, world.project.slug, "pefs2007")  # purges on the way

    assert not Job.objects.get(pk=job.pk).file
    # Only the newer job's file is left (it may take the freed name: same profile, same day).
    newer_file = Job.objects.get(pk=export_jobs.job_pk(newer)).file.name
    assert [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.xlsx")] == [newer_file]
    page = client.get(job_url("reporting:export_job", job)).content.decode()
    assert "Plik usunięto 24 godz. po jego przygotowaniu" in page
    assert client.get(job_url("reporting:export_file", job)).status_code == 404


def run_worker() -> None:
    """`lider worker --batch` inside the test's transaction. The worker closes connections
    that are not in autocommit between tasks (right for a real worker); in a test that would
    close PostgreSQL's connection in the middle of the test's transaction (SQLite's in-memory
    database ignores the close), so it is kept open here."""
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        call_command("worker", "--batch", "--no-startup-delay", stdout=io.StringIO())
