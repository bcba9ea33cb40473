"""`lider check-install` and the health endpoint say what works and what does not."""

import datetime
import io
import json
import socket

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lider.core import install

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def check_install(*args):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("check-install", *args, stdout=out, stderr=err)
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue(), err.getvalue()


def statuses(**kwargs):
    return {result.name: result.status for result in install.run_checks(**kwargs)}


def a_task(**fields):
    defaults = {
        "args_kwargs": {"args": [], "kwargs": {}},
        "task_path": "lider.certification.tasks.bulk_issue",
        "backend_name": "default",
        "run_after": timezone.now(),
    }
    return DBTaskResult.objects.create(**{**defaults, **fields})


@pytest.mark.django_db
def test_a_working_installation_passes_with_its_warnings_in_polish(settings):
    code, out, err = check_install()

    assert code == 0, out + err
    lines = out.splitlines()
    assert lines[0].split() == ["Sprawdzenie", "Wynik", "Szczegóły"]
    assert lines[1].startswith("Baza danych") and " OK " in lines[1]
    assert "wszystkie migracje zastosowane" in lines[1]
    assert "Pamięć podręczna" in lines[2] and "ostrzeżenie" in lines[2]  # LocMemCache
    assert "Przechowywanie plików" in lines[3] and " OK " in lines[3]
    assert "ostrzeżenie" in lines[4] and "TASKS_BACKEND" in lines[4]  # immediate backend
    assert "ostrzeżenie" in lines[5] and "locmem" in lines[5]  # tests keep e-mails
    assert lines[-1] == "Instalacja jest gotowa."


@pytest.mark.django_db
def test_the_table_speaks_english_on_request():
    code, out, _err = check_install("--language", "en")

    assert code == 0
    assert out.splitlines()[0].split() == ["Check", "Result", "Details"]
    assert out.splitlines()[-1] == "The installation is ready."


@pytest.mark.django_db
def test_unapplied_migrations_fail_the_check(monkeypatch):
    monkeypatch.setattr(
        install.MigrationExecutor, "migration_plan", lambda self, targets: [("x", False)] * 2
    )

    code, out, err = check_install()

    assert code == 1
    assert "BŁĄD" in out and "2 migracje niezastosowane" in out
    assert "Instalacja nie jest gotowa" in err


@pytest.mark.django_db
def test_a_database_that_does_not_answer_fails_the_check(monkeypatch):
    def refuse():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "ensure_connection", refuse)

    assert statuses()["Baza danych"] == install.ERROR
    assert statuses()["Proces zadań w tle"] == install.ERROR


@pytest.mark.django_db
def test_a_cache_that_stores_nothing_fails_the_check(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

    assert statuses()["Pamięć podręczna"] == install.ERROR
    assert check_install()[0] == 1


@pytest.mark.django_db
def test_storage_that_cannot_be_written_fails_the_check(settings, tmp_path):
    (tmp_path / "a-file").write_text("")
    settings.MEDIA_ROOT = tmp_path / "a-file" / "media"  # no directory can be made there

    result = install.check_storage()

    assert result.status == install.ERROR
    assert result.detail.startswith("Nie można zapisywać plików")
    assert check_install()[0] == 1


@pytest.mark.django_db
def test_storage_is_written_read_and_cleaned_up(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    assert statuses()["Przechowywanie plików"] == install.OK
    assert [path for path in tmp_path.rglob("*") if path.is_file()] == []


@pytest.mark.django_db
def test_the_worker_is_confirmed_by_a_recently_finished_task(settings):
    settings.TASKS = DB_TASKS
    assert statuses()["Proces zadań w tle"] == install.WARNING  # nothing ran yet

    a_task(status="SUCCESSFUL", finished_at=timezone.now() - datetime.timedelta(hours=2))

    assert statuses()["Proces zadań w tle"] == install.OK


@pytest.mark.django_db
def test_tasks_waiting_for_long_mean_no_worker(settings):
    settings.TASKS = DB_TASKS
    a_task(status="SUCCESSFUL", finished_at=timezone.now() - datetime.timedelta(hours=2))
    a_task(run_after=timezone.now() - datetime.timedelta(minutes=20))

    result = install.check_worker()

    assert result.status == install.WARNING
    assert "1 zadanie czeka ponad 5 minut" in result.detail


@pytest.mark.django_db
def test_smtp_is_reached_only_with_the_option(settings):
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = server.getsockname()
        assert install.check_email(smtp=True).status == install.OK
    # The server is gone: only --smtp notices.
    assert install.check_email(smtp=False).status == install.OK
    result = install.check_email(smtp=True)
    assert result.status == install.ERROR
    assert "nie odpowiada" in result.detail
    assert check_install("--smtp")[0] == 1


def test_health_answers_without_login_with_no_personal_data(client, db):
    response = client.get("/zdrowie/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_health_is_503_when_the_database_is_down(client, db, monkeypatch):
    def refuse():
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(connection, "ensure_connection", refuse)
        response = client.get("/zdrowie/")

    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "error"


def test_health_reports_a_broken_cache_but_still_serves(client, db, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

    response = client.get("/zdrowie/")

    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "error", "database": "ok", "cache": "error"}


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's JIT")
def test_postgresql_connections_run_without_jit():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


@pytest.mark.django_db
def test_storage_in_an_s3_bucket_is_written_read_and_cleaned_up(s3_server, s3_storage):
    from tests.s3 import keys

    result = install.check_storage()

    assert result.status == install.OK
    assert f"S3Storage s3://{s3_storage}/" in result.detail
    assert keys(s3_server, s3_storage) == []  # the probe object was deleted


@pytest.mark.django_db
def test_a_missing_s3_bucket_fails_the_check(s3_server, s3_storage, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {**settings.STORAGES["default"]["OPTIONS"], "bucket_name": "no-such"},
        },
    }

    result = install.check_storage()

    assert result.status == install.ERROR
    assert result.detail.startswith("Nie można zapisywać plików")
    assert "NoSuchBucket" in result.detail


def test_lider_s3_bucket_in_the_environment_puts_uploads_in_the_bucket(s3_server, tmp_path):
    """The settings wiring itself: a fresh `lider check-install` process configured only by
    environment variables writes its probe to the bucket, not to LIDER_DATA_DIR/media."""
    from tests.core.test_settings import run_lider
    from tests.s3 import CREDENTIALS, client, keys

    client(s3_server).create_bucket(Bucket="lider-env")
    env = {
        **CREDENTIALS,
        "LIDER_DATA_DIR": str(tmp_path),
        "LIDER_S3_BUCKET": "lider-env",
        "LIDER_S3_PREFIX": "media",
        "AWS_S3_ENDPOINT_URL": s3_server,
    }
    result = run_lider("check-install", "--language", "en", env=env)

    line = next(line for line in result.stdout.splitlines() if line.startswith("File storage"))
    assert " OK " in line and f"S3Storage s3://lider-env/media ({s3_server})" in line, line
    assert keys(s3_server, "lider-env") == []
    assert not (tmp_path / "media").exists()


@pytest.mark.django_db
def test_a_missing_daily_reminder_run_is_a_warning_until_one_is_booked(settings):
    from lider.people import tasks

    REMINDERS = "Przypomnienia cztery tygodnie po zakończeniu"
    assert REMINDERS not in statuses()  # tasks run at once: nothing can wait
    settings.TASKS = DB_TASKS
    a_task(status="SUCCESSFUL", finished_at=timezone.now() - datetime.timedelta(hours=2))
    result = {r.name: r for r in install.run_checks()}[REMINDERS]
    assert result.status == install.WARNING
    assert "lider send_later_reminders" in result.detail

    booked = tasks.schedule_later_reminders()

    result = {r.name: r for r in install.run_checks()}[REMINDERS]
    assert booked is not None and result.status == install.OK
    assert result.detail.startswith("Następne uruchomienie czeka na ")
    code, out, _ = check_install()
    assert code == 0 and REMINDERS in out
