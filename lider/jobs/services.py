"""Starting, running and serving background jobs.

A domain registers what a kind of job does with ``@runner("app.kind")``: a function taking the
job and a ``Progress``, which writes its file with ``keep_file`` and returns a small dict kept
as ``job.result``. A ``ValidationError`` it raises is shown to the person as the job's error;
any other exception fails the job with a general message (the traceback goes to the log).
"""

import datetime
import logging
import time
from collections.abc import Callable, Iterable, Iterator

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
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
    """Counts the work done and stores the percentage, at most about once a second."""

    def __init__(self, job: Job, *, interval: float = 1.0):
        self.job, self.interval, self.saved_at, self.percent = job, interval, 0.0, -1

    def report(self, done: int, total: int) -> None:
        percent = min(99, int(100 * done / total)) if total else 0
        now = time.monotonic()
        if percent != self.percent and now - self.saved_at >= self.interval:
            Job.objects.filter(pk=self.job.pk).update(progress=percent)
            self.job.progress, self.percent, self.saved_at = percent, percent, now

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
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now()
    )
    job = Job.objects.select_related("project", "owner").get(pk=job_id)
    if not claimed:
        return job.status
    fields = {"status": Job.Status.DONE, "progress": 100, "error": ""}
    try:
        fields["result"] = RUNNERS[job.kind](job, Progress(job)) or {}
    except ValidationError as error:
        fields = {"status": Job.Status.FAILED, "error": " ".join(error.messages)}
    except Exception:
        log.exception("Background job %s (%s) failed", job.pk, job.kind)
        fields = {"status": Job.Status.FAILED, "error": str(GENERAL_ERROR)}
    fields["finished_at"] = timezone.now()
    Job.objects.filter(pk=job.pk).update(**fields)
    return fields["status"]


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
