import os
import socket

from django.conf import settings
from django.core.management.base import CommandError
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"


def uses_database_backend(alias: str = "default") -> bool:
    """Whether tasks of ``alias`` are queued in the database (run by ``lider worker``)."""
    return settings.TASKS.get(alias, {}).get("BACKEND") == DATABASE_BACKEND


class Command(DatabaseWorker):
    help = (
        "Run the background worker: it takes tasks (bulk certificates, e-mails, exports) queued "
        "in the database and runs them. Needs TASKS_BACKEND=django_tasks_db.DatabaseBackend; "
        "run one or more per machine (systemd restarts them). Defaults: every queue, no code "
        "reload, an id naming the host and process. --batch runs what is waiting and exits."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # A production worker serves every queue, never reloads code under a running task, and
        # is named so that the task results say which machine ran them.
        parser.set_defaults(
            queue_name="*",
            reload=False,
            worker_id=f"{socket.gethostname()[:40]}-{os.getpid()}",
        )

    def handle(self, *args, **options):
        backend = options["backend_name"]
        if not uses_database_backend(backend):
            raise CommandError(
                f"The tasks backend '{backend}' is "
                f"{settings.TASKS.get(backend, {}).get('BACKEND')}: tasks run without a worker. "
                f"Set TASKS_BACKEND={DATABASE_BACKEND} to queue them for `lider worker`."
            )
        # Jobs left "running" by a worker that died would otherwise wait forever.
        from lider.jobs.services import fail_stuck_jobs

        if failed := fail_stuck_jobs():
            self.stdout.write(f"{failed} stuck job(s) marked failed.")
        return super().handle(*args, **options)
