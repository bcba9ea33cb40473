"""A long piece of work of a project (an export, an import) done by the background worker.

The request that asks for it only records a `Job` and enqueues it; the worker runs it,
updating `progress`, and keeps the file it makes in the file storage (local disk or S3), so the
page that polls it, and the download, work from any web machine and after a restart.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """Lifecycle: QUEUED when a request records it (`services.start_job`); RUNNING once a
    worker claims it (`services.run_job`, one worker only); DONE or FAILED when the runner
    returns or raises. A RUNNING job whose `updated_at` (the worker's heartbeat, moved with
    every progress report) stands still for `LIDER_JOB_STUCK_MINUTES` is a job whose worker
    died: `services.fail_stuck_jobs` (each worker on start, `lider fail_stuck_jobs`) marks it
    FAILED with a message for the person; it is not run again by itself."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting for the worker")
        RUNNING = "running", _("in progress")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="jobs", verbose_name=_("project")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    # The registered runner (lider.jobs.services.runner), e.g. "reporting.export".
    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=300)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to="jobs/%Y/%m/", blank=True, max_length=300)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    # What is done so far, for the page while the job runs: {"checked": rows, "written": rows}.
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    # For the person, in the language of the page that started it: never a traceback.
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The worker's heartbeat: set when the job is claimed and at every progress report.
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["project", "kind", "-created_at"]),
            models.Index(fields=["status", "updated_at"], name="jobs_job_status_updated"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="jobs_job_progress_at_most_100"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def audit_project_id(self) -> int:
        return self.project_id

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def ready(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file)
