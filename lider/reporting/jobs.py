"""The monitoring export as a background job: the worker writes the file, the page polls.

A 100,000-participant export takes longer than a web worker's timeout, so the request only
records a job (lider.jobs); the worker writes the file to a temporary file, then to the file
storage, reading from the replica when there is one (monitoring.export_participants).
"""

import tempfile

from django.utils import timezone

from lider.jobs.services import keep_file, runner
from lider.reporting.exports import monitoring
from lider.reporting.exports.profiles import PROFILES

KIND = "reporting.export"
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@runner(KIND)
def export_file(job, progress) -> dict:
    profile = PROFILES[job.params["profile"]]
    with tempfile.TemporaryFile() as handle:
        result = monitoring.export_participants(
            job.project,
            profile.key,
            actor=job.owner,
            full_sensitive=job.params["full_sensitive"],
            target=handle,
            progress=progress,
        )
        keep_file(
            job,
            handle,
            filename=monitoring.export_filename(job.project, profile, timezone.localdate()),
            content_type=CONTENT_TYPES[profile.file_format],
        )
    return {"rows": result.exported, "incomplete": len(result.incomplete)}
