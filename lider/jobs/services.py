"""Starting, running and serving background jobs.

A domain registers what a kind of job does with ``@runner("app.kind")``: a function taking the
job and a ``Progress``, which writes its file with ``keep_file`` and returns a small dict kept
as ``job.result``. A ``ValidationError`` it raises is shown to the person as the job's error;
any other exception fails the job with a general message (the traceback goes to the log).
"""

import datetime
import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from lider.core import audit
from lider.jobs.models import Job

log = logging.getLogger(__name__)

RUNNERS: dict[str, Callable] = {}


def runner(kind: str):
    """Register the function that does jobs of ``kind``."""

    def register(function):
        RUNNERS[kind] = function
        return function

    return register


def kept_hours() -> int:
    """How long a finished job's file is kept (it may hold PESEL numbers)."""
    return settings.LIDER_JOB_FILE_HOURS


def start_job(project, *, kind: str, title: str, params: dict, actor) -> Job:
    """Record a job and hand it to the worker once the request's transaction commits."""
    from lider.jobs import tasks

    if kind not in RUNNERS:
        raise ValueError(f"No runner for {kind!r}")
    purge_expired_files()
    job = Job.objects.create(
        project=project, owner=actor, kind=kind, title=title[:300], params=params
    )
    transaction.on_commit(lambda: tasks.run_job.enqueue(job.pk))
    return job


class Progress:
    """Counts the work done and stores the percentage (and counts such as rows checked and
    written), at most about once a second; each store is also the worker's heartbeat.

    A runner working inside one transaction (an import: all rows or none) would hide its
    progress until the commit, so there it is stored through a connection of its own on
    PostgreSQL; SQLite has one writer at a time, so there the page learns it at the end.
    """

    def __init__(self, job: Job, *, interval: float = 1.0):
        self.job, self.interval, self.saved_at, self.percent = job, interval, 0.0, -1
        self.counts: dict[str, int] = {}
        self.side = None  # the connection of its own, opened when first needed
        # Transactions already open when the job started (a test's): not the runner's own.
        self.depth = len(connections[DEFAULT_DB_ALIAS].atomic_blocks)

    def report(self, done: int, total: int, **counts: int) -> None:
        percent = min(99, int(100 * done / total)) if total else 0
        now = time.monotonic()
        changed = percent != self.percent or counts != self.counts
        self.counts = counts  # the latest, stored with the job's end whatever the interval
        if changed and now - self.saved_at >= self.interval:
            self._store(percent, counts)
            self.job.progress, self.percent, self.saved_at = percent, percent, now
            self.job.counts = counts

    def _store(self, percent: int, counts: dict) -> None:
        at = timezone.now()
        db = connections[DEFAULT_DB_ALIAS]
        if len(db.atomic_blocks) <= self.depth:
            fields = {"progress": percent, "updated_at": at}
            if counts:
                fields["counts"] = counts
            Job.objects.filter(pk=self.job.pk).update(**fields)
            return
        if db.vendor != "postgresql":
            return
        if self.side is None:
            self.side = connections.create_connection(DEFAULT_DB_ALIAS)
        with self.side.cursor() as cursor:  # autocommit: seen at once by the polling page
            cursor.execute(
                f"UPDATE {Job._meta.db_table} SET progress = %s, counts = %s, updated_at = %s "
                "WHERE id = %s",
                [percent, json.dumps(counts), at, self.job.pk],
            )

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
            self.side = None

    def counting(self, items: Iterable, total: int) -> Iterator:
        """Yield ``items``, reporting every thousandth one."""
        for done, item in enumerate(items, 1):
            if done % 1000 == 0:
                self.report(done, total)
            yield item


def keep_file(job: Job, handle, *, filename: str, content_type: str) -> None:
    """Store the job's file (an open binary file, read from its start) in the file storage."""
    handle.seek(0)
    job.file.save(filename, File(handle, name=filename), save=False)
    job.filename, job.content_type = filename, content_type
    job.save(update_fields=["file", "filename", "content_type"])


GENERAL_ERROR = gettext_lazy(
    "The job failed and nothing was saved. Try again; if it fails again, tell the "
    "installation's administrator (the details are in the server log)."
)


def run_job(job_id: int) -> str:
    """Run a queued job; returns its final status. A job already taken is left alone, so a
    task delivered twice does the work once."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=now, updated_at=now
    )
    job = Job.objects.select_related("project", "owner").get(pk=job_id)
    if not claimed:
        return job.status
    fields = {"status": Job.Status.DONE, "progress": 100, "error": ""}
    progress = Progress(job)
    try:
        fields["result"] = RUNNERS[job.kind](job, progress) or {}
    except ValidationError as error:
        fields = {"status": Job.Status.FAILED, "error": " ".join(error.messages)}
    except Exception:
        log.exception("Background job %s (%s) failed", job.pk, job.kind)
        fields = {"status": Job.Status.FAILED, "error": str(GENERAL_ERROR)}
    finally:
        progress.close()
    fields["finished_at"] = fields["updated_at"] = timezone.now()
    if progress.counts:
        fields["counts"] = progress.counts
    # Only a job still running: one failed meanwhile as stuck keeps its message.
    Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING).update(**fields)
    return fields["status"]


STUCK_ERROR = gettext_lazy(
    "The worker running this job stopped without finishing it (nothing moved for "
    "%(minutes)s minutes), so the job was stopped and nothing it did was kept. Start it again."
)


def stuck_minutes() -> int:
    return settings.LIDER_JOB_STUCK_MINUTES


def fail_stuck_jobs(*, now: datetime.datetime | None = None, dry_run: bool = False) -> int:
    """Mark failed the running jobs whose heartbeat stopped `stuck_minutes()` ago (their
    worker died: killed, restarted, out of memory); how many.

    Failed, not queued again: a job that killed its worker (memory) would kill the next one
    too, and every runner keeps nothing of an unfinished run (an import is one transaction,
    an export's file is stored at the end), so the person simply starts it again.
    """
    now = now or timezone.now()
    minutes = stuck_minutes()
    stuck = Job.objects.filter(
        status=Job.Status.RUNNING, updated_at__lt=now - datetime.timedelta(minutes=minutes)
    )
    if dry_run:
        return stuck.count()
    return stuck.update(
        status=Job.Status.FAILED,
        error=str(STUCK_ERROR % {"minutes": minutes}),
        finished_at=now,
        updated_at=now,
    )


def download(job: Job, *, actor) -> FileResponse:
    """The job's file as an attachment; each download is recorded as an export."""
    audit.record(
        actor,
        audit.Action.EXPORT,
        job.project,
        project_id=job.project_id,
        note=audit.Note(gettext_lazy("file %(file)s downloaded"), file=job.filename),
    )
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.filename,
        content_type=job.content_type or "application/octet-stream",
    )


def purge_expired_files(now: datetime.datetime | None = None) -> int:
    """Delete the files of jobs finished longer ago than ``kept_hours()``; how many."""
    now = now or timezone.now()
    old = Job.objects.filter(finished_at__lt=now - datetime.timedelta(hours=kept_hours()))
    deleted = 0
    for job in old.exclude(file=""):
        job.file.delete(save=False)
        Job.objects.filter(pk=job.pk).update(file="")
        deleted += 1
    return deleted
