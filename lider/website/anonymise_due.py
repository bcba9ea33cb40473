"""Scheduled anonymisation: the people of every project whose archiving date has passed.

Run by `lider anonymise_due` (a dry run by default: it lists what would be done; `--apply`
does it) from a systemd timer or cron, or enqueued for the worker as the `anonymise_due`
task. Each project is anonymised through the same service as the office's button
(`erasure.anonymise_project`), in its own transaction, recorded in the audit trail with no
user (the system) and a note saying it was the scheduled run.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy

from lider.core import audit
from lider.projects.models import Project
from lider.website import erasure


@dataclass(frozen=True)
class Due:
    project: Project
    people: int


def due(*, today: datetime.date | None = None) -> list[Due]:
    """Projects past their archiving date with people still to anonymise (oldest date first)."""
    today = today or timezone.localdate()
    found = []
    for project in Project.objects.filter(archiving_date__lt=today).order_by(
        "archiving_date", "pk"
    ):
        ids = erasure.people_due(project, today=today)
        if ids:
            found.append(Due(project, len(ids)))
    return found


def run(*, apply: bool, today: datetime.date | None = None) -> list[Due]:
    """What is due; with `apply`, anonymised as the system, one transaction per project."""
    today = today or timezone.localdate()
    found = due(today=today)
    if not apply:
        return found
    done = []
    for item in found:
        project = item.project
        count = erasure.anonymise_project(
            project,
            actor=None,
            today=today,
            note=audit.Note(
                gettext_lazy(
                    "personal data of %(count)s people anonymised (art. 17 GDPR) by the "
                    "scheduled task, the archiving date %(date)s having passed"
                ),
                date=project.archiving_date.isoformat(),  # the count is filled in
            ),
        )
        done.append(Due(project, count))
    return done
