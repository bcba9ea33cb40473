"""Background work of people (django-tasks: inline in development and tests).

The four-weeks-after reminders keep a daily schedule in the worker, without cron: each run
of :func:`send_later_reminders` for every project first books the next one, tomorrow at
``REMINDERS_AT`` local time, unless one is already waiting. Only the database backend (run by
``lider worker``) can hold a task for later; with the immediate backend the command sends at
once and schedules nothing. Sending is idempotent (each person is reminded once, under a row
lock), so a run twice in a day, or two waiting runs (two commands at the same moment), sends
nothing twice, and the second waiting run finds the first's booking and books none.
"""

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django_tasks import task

from lider.core import install

REMINDERS_AT = datetime.time(9)


@task()
def send_later_reminders(project_id: int | None = None) -> int:
    """E-mail the reminders due (every project's, or one's); returns how many were sent."""
    from lider.people import situations
    from lider.projects.models import Project

    if project_id is None:
        # Booked first: a failure while sending leaves tomorrow's run in place.
        schedule_later_reminders()
    project = Project.objects.filter(pk=project_id).first() if project_id else None
    if project_id and project is None:
        return 0
    return situations.send_later_reminders(project=project)


def waiting_runs():
    """The daily runs waiting in the database (READY: not started yet), or None when tasks
    are not queued in the database."""
    from django_tasks_db.backend import DatabaseBackend

    if not isinstance(send_later_reminders.get_backend(), DatabaseBackend):
        return None
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path=send_later_reminders.module_path,
        status="READY",
        args_kwargs={"args": [], "kwargs": {}},
    )


def schedule_later_reminders(now: datetime.datetime | None = None):
    """Book the next daily run for tomorrow at ``REMINDERS_AT`` (local time) unless a run
    is already waiting: one at a time. The booked task result, or None (one was waiting, or
    the backend runs tasks at once)."""
    waiting = waiting_runs()
    if waiting is None or waiting.exists():
        return None
    tomorrow = timezone.localtime(now).date() + datetime.timedelta(days=1)
    run_after = timezone.make_aware(datetime.datetime.combine(tomorrow, REMINDERS_AT))
    return send_later_reminders.using(run_after=run_after).enqueue()


def check_reminders() -> install.Result | None:
    """`lider check-install`: with tasks queued in the database, a daily run of the reminders
    must be waiting, else nobody is asked about their situation four weeks after exit."""
    waiting = waiting_runs()
    if waiting is None:
        return None  # tasks run at once: `lider send_later_reminders` is run by cron, if at all
    name = _("Four-weeks-after reminders")
    run = waiting.order_by("run_after").first()
    if run is None:
        return install.Result(
            name,
            install.WARNING,
            _(
                "No daily run is waiting: run `lider send_later_reminders` once, and the "
                "worker keeps the schedule from then on."
            ),
        )
    when = date_format(timezone.localtime(run.run_after), "DATETIME_FORMAT")
    return install.Result(name, install.OK, _("The next run is waiting for %s.") % when)
