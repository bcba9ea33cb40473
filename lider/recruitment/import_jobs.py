"""The people import, once the office has seen the preview and confirmed it, as a background
job (lider.jobs): the worker checks the file again and saves every row or none, under the
project's lock; the job's page says what was imported. A 100,000-row file takes longer than a
web worker's timeout, so no request does this work.
"""

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from lider.core import audit, table_reader
from lider.jobs.services import runner
from lider.people import importing
from lider.projects.models import Project
from lider.recruitment import bulk_import
from lider.recruitment.models import Application

KIND = "recruitment.import"


@runner(KIND)
def import_file(job, progress) -> dict:
    try:
        return _import(job, progress)
    except IntegrityError as error:
        # Someone added one of these people meanwhile (a form, another import).
        raise ValidationError(
            _(
                "Some of these people were added meanwhile, so nothing was imported: open the "
                "preview again to see the file checked anew."
            ),
            code="raced",
        ) from error


def _import(job, progress) -> dict:
    from lider.recruitment.imports import check_file, read_stored

    project, params = job.project, job.params
    name = params["file"]
    with transaction.atomic():
        # Imports of one project queue up: a second job for the same file waits, then finds
        # the file gone instead of inserting the same people again.
        Project.objects.select_for_update().filter(pk=project.pk).first()
        if not default_storage.exists(name):
            raise ValidationError(_("This file has already been imported."), code="gone")
        try:
            checked = check_file(
                project, read_stored(name), params["filename"], frozenset(params["confirmed"])
            )
        except importing.TableError as error:
            raise ValidationError(str(error), code="table") from error
        if checked.errors:
            raise ValidationError(
                ngettext(
                    "%(count)s row has errors, so nothing was imported: the preview lists them.",
                    "%(count)s rows have errors, so nothing was imported: the preview lists them.",
                    len(checked.bad_rows),
                )
                % {"count": len(checked.bad_rows)},
                code="errors",
            )
        count = 0
        if checked.people:
            at = timezone.now()
            with table_reader.collection_paused():  # a fifth of the time on 10,000 rows
                count = bulk_import.import_applications(
                    project,
                    people=checked.people,
                    actor=job.owner,
                    consents_signed=params["consents_signed"],
                    target_group=project.target_groups.filter(pk=params["target_group"]).first(),
                    filename=params["filename"],
                    submitted_at=at,
                )
            linked = Application.objects.filter(
                project=project, submitted_at=at, identity=Application.Identity.LINKED
            )
            if linked.count() != len(checked.links):
                # A record with one of the new rows' PESELs was saved after the check: the
                # row would be linked to it unconfirmed. Nothing is kept.
                raise IntegrityError("A person was saved meanwhile under a PESEL of the file.")
        for link in checked.links:
            audit.record(
                job.owner,
                audit.Action.UPDATE,
                link.record,
                project_id=project.pk,
                note=audit.Note(
                    gettext_lazy(
                        "The application imported from %(file)s (row %(row)s) was linked to "
                        "this person, as the office confirmed after comparing the data; the "
                        "record was not changed."
                    ),
                    file=params["filename"],
                    row=link.row,
                ),
            )
        # Still under the project's lock: a second job waiting for it finds no file.
        default_storage.delete(name)
    return {
        "count": count,
        "skipped": len(checked.duplicates),
        "restricted": [p.row for p in checked.restricted],
        "not_linked": len(checked.matches),
    }


def summary(job) -> list[str]:
    """What the job's page says about a finished import."""
    result = job.result
    if job.status != job.Status.DONE or "count" not in result:
        return []
    lines = [
        _("Imported %(count)s applications; %(skipped)s duplicates were skipped.")
        % {"count": result["count"], "skipped": result["skipped"]}
    ]
    if result["restricted"]:
        lines.append(
            _(
                "Rows not imported because processing of the person's data is restricted "
                "(art. 18 GDPR): %(rows)s."
            )
            % {"rows": ", ".join(map(str, result["restricted"]))}
        )
    if result["not_linked"]:
        lines.append(
            ngettext(
                "%(count)s row was not imported: Lider already holds a person with its PESEL "
                "and linking to that record was not confirmed.",
                "%(count)s rows were not imported: Lider already holds people with their "
                "PESELs and linking to those records was not confirmed.",
                result["not_linked"],
            )
            % {"count": result["not_linked"]}
        )
    return lines
