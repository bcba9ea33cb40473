"""Confirming an import's preview queues a job: the request saves nobody, `lider worker`
imports the file (all rows or none) and the job's page says what was imported."""

import io
from unittest import mock

import pytest
from django.core.management import call_command
from django_tasks_db.management.commands import db_worker

from lider.core.permissions import Role
from lider.jobs.models import Job
from lider.recruitment.models import Application
from tests.factories import member
from tests.people.test_importing import row
from tests.recruitment.test_import import confirm, csv_file, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_worker_imports_the_confirmed_file_and_the_page_follows_it(
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

    started = confirm(client, preview, {"consents_signed": "on"})

    job = Job.objects.get()
    assert (job.kind, job.status, job.owner) == ("recruitment.import", Job.Status.QUEUED, office)
    assert not Application.objects.exists()  # the request imported nobody
    page = client.get(started.url).content.decode()
    assert 'role="status" aria-live="polite"' in page and "hx-trigger=" in page
    assert "Import pliku osoby.csv" in page

    run_worker()

    job.refresh_from_db()
    assert (job.status, job.progress, job.error) == (Job.Status.DONE, 100, "")
    assert Application.objects.filter(project=project, source="import").count() == 2
    assert not list(tmp_path.joinpath("imports").iterdir())  # the file went with the import
    fragment = client.get(started.url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in fragment
    assert "Zaimportowano zgłoszenia: 2; pominięto duplikaty: 0." in fragment
    # The page forgot the preview: it cannot be imported twice.
    assert client.get(preview).status_code == 404


def run_worker() -> None:
    """`lider worker --batch` inside the test's transaction. The worker closes connections
    that are not in autocommit between tasks (right for a real worker); in a test that would
    close PostgreSQL's connection in the middle of the test's transaction (SQLite's in-memory
    database ignores the close), so it is kept open here."""
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        call_command("worker", "--batch", "--no-startup-delay", stdout=io.StringIO())
