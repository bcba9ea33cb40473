"""The four-weeks-after reminders as a background task: the command enqueues it, `lider
worker` sends them and books the next day's run itself (one waiting at a time); each person
gets one e-mail once."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from lider.people import tasks
from tests.factories import ProjectFactory
from tests.people.test_situations import _ended
from tests.recruitment.test_import_jobs import run_worker

pytestmark = pytest.mark.django_db

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _waiting():
    return list(
        DBTaskResult.objects.filter(
            task_path=tasks.send_later_reminders.module_path, status="READY"
        ).values_list("run_after", flat=True)
    )


def _tomorrow_at_nine():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(9)))


def test_the_worker_sends_the_reminders_and_books_the_next_day_once(settings):
    settings.TASKS = DB_TASKS
    project = ProjectFactory()
    _ended(project, email="anna@example.org")
    _ended(project, email="jan@example.org")
    out = io.StringIO()

    call_command("send_later_reminders", stdout=out)

    assert "czekają w kolejce" in out.getvalue()  # queued, nothing sent by the command
    assert not mail.outbox
    assert len(_waiting()) == 1

    run_worker()

    assert sorted(m.to[0] for m in mail.outbox) == ["anna@example.org", "jan@example.org"]
    assert _waiting() == [_tomorrow_at_nine()]  # the next day's run, booked by the worker
    run_worker()  # tomorrow's is not due yet
    assert len(mail.outbox) == 2

    # The command again, twice: runs now, sends nothing twice, one run stays booked.
    call_command("send_later_reminders", stdout=out)
    call_command("send_later_reminders", stdout=out)
    run_worker()
    assert len(mail.outbox) == 2
    assert _waiting() == [_tomorrow_at_nine()]

    # The next day: someone new is due; the booked run reminds them only, and books again.
    _ended(project, email="ola@example.org")
    DBTaskResult.objects.filter(status="READY").update(
        run_after=timezone.now() - datetime.timedelta(minutes=1)
    )
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == [
        "anna@example.org",
        "jan@example.org",
        "ola@example.org",
    ]
    assert _waiting() == [_tomorrow_at_nine()]


def test_one_projects_run_books_no_daily_run_and_now_sends_in_the_process(settings):
    settings.TASKS = DB_TASKS
    project = ProjectFactory()
    other = ProjectFactory()
    _ended(project, email="anna@example.org")
    _ended(other, email="jan@example.org")
    out = io.StringIO()

    call_command("send_later_reminders", "--project", project.slug, stdout=out)
    run_worker()

    assert [m.to[0] for m in mail.outbox] == ["anna@example.org"]
    assert _waiting() == []

    call_command("send_later_reminders", "--now", stdout=out)

    assert [m.to[0] for m in mail.outbox] == ["anna@example.org", "jan@example.org"]
    assert out.getvalue().splitlines()[-1] == "Wysłano przypomnień: 1."
    assert _waiting() == []


def test_the_immediate_backend_sends_at_once_and_books_nothing():
    project = ProjectFactory()
    _ended(project, email="anna@example.org")
    out = io.StringIO()

    call_command("send_later_reminders", stdout=out)

    assert [m.to[0] for m in mail.outbox] == ["anna@example.org"]
    assert tasks.schedule_later_reminders() is None
    assert not DBTaskResult.objects.exists()
