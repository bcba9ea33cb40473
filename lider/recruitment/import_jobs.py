"""The people import as two background jobs (lider.jobs), so that no request does work that
grows with the file:
- the check (`CHECK_KIND`), queued by the upload: the worker reads the file in chunks from the
  bounded reader (`lider.core.table_reader.iter_chunks`), checks every row
  (`lider.people.importing.check_chunks`) and keeps what the preview shows (`job.result`:
  counts, every problem by row and column, the rows matching people Lider holds);
- the import (`KIND`), queued when the office confirms the preview: the worker checks the file
  again, as it is now, and writes the people and applications chunk by chunk as they pass the
  check, inside one transaction under the project's lock; a row with an error (or a file the
  reader refuses further down) rolls everything back, and the rest of the file is still checked
  so the job can say how many rows are bad. Memory stays flat in the row count: one chunk of
  rows at a time, plus a PESEL and a row number per person (duplicates in the file).
Both report rows checked (and written) on the job's page.
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
CHECK_KIND = "recruitment.import_check"


def read_stored(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def check_file(
    project,
    content: bytes,
    filename: str,
    confirmed: frozenset[int] = frozenset(),
    *,
    take=None,
    progress=None,
) -> importing.Checked:
    """Check the file in chunks (see `importing.check_chunks` for `take`); `progress(rows
    checked, rows in the file)`."""
    total = {"rows": 0}
    report = None
    if progress is not None:

        def report(done):
            progress(done, total["rows"])

    return importing.check_chunks(
        table_reader.iter_chunks(content, filename, on_size=lambda rows: total.update(rows=rows)),
        gminas=importing.register_gminas(),
        county_ids=set(project.counties.values_list("pk", flat=True)),
        taken_pesels=bulk_import.taken_pesels(project),
        confirmed=confirmed,
        take=take,
        progress=report,
    )


@runner(CHECK_KIND)
def check_upload(job, progress) -> dict:
    """The preview of an uploaded file, as plain values (`preview` reads them back)."""
    name = job.params["file"]
    if not default_storage.exists(name):
        raise ValidationError(
            _("The preview has expired and the file was deleted: upload it again."), code="gone"
        )

    def report(done, total):
        progress.report(done, total, checked=done)

    try:
        checked = check_file(
            job.project,
            read_stored(name),
            job.params["filename"],
            take=lambda people, rows, held: None,  # counted, not kept: memory flat in the rows
            progress=report,
        )
    except importing.TableError as error:
        return {"table_error": str(error)}
    return preview_of(checked)


def preview_of(checked: importing.Checked) -> dict:
    def problems(found):
        return [{"row": p.row, "column": p.column, "message": str(p.message)} for p in found]

    return {
        "total": checked.total,
        "ready": checked.ready,
        "bad_rows": len(checked.bad_rows),
        "errors": problems(checked.errors),
        "duplicates": problems(checked.duplicates),
        "restricted": problems(checked.restricted),
        "unknown_columns": checked.unknown_columns,
        "matches": [
            {
                "row": match.row,
                "given": {
                    "first_name": match.given.first_name,
                    "last_name": match.given.last_name,
                },
                "records": len(match.records),
                "record": {"full_name": match.record.full_name} if match.record else None,
                "differences": [
                    {"label": str(d.label), "recorded": d.recorded, "given": d.given}
                    for d in match.differences
                ],
            }
            for match in checked.matches
        ],
    }


def import_content(
    project,
    content: bytes,
    *,
    filename: str,
    actor,
    consents_signed: bool,
    target_group=None,
    confirmed: frozenset[int] = frozenset(),
    progress=None,
) -> tuple[importing.Checked, int]:
    """Check the file and write its people and applications chunk by chunk, inside the
    caller's transaction; raises ValidationError (the caller's transaction then undoes what
    was written) if the reader refuses the file or any row has an error. Returns the check
    and how many applications were imported."""
    at = timezone.now()
    writer = bulk_import.ApplicationWriter(
        project,
        actor=actor,
        consents_signed=consents_signed,
        target_group=target_group,
        filename=filename,
        submitted_at=at,
    )
    report = None
    if progress is not None:

        def report(done, total):
            progress.report(done, total, checked=done, written=writer.count)

    try:
        with table_reader.collection_paused():  # a fifth of the time on 10,000 rows
            checked = check_file(
                project,
                content,
                filename,
                confirmed,
                take=lambda people, rows, held: writer.write(people, held),
                progress=report,
            )
    except importing.TableError as error:
        raise ValidationError(str(error), code="table") from error
    if checked.errors:
        # Whatever was written before the first bad row goes with the caller's transaction.
        raise ValidationError(
            ngettext(
                "%(count)s row has errors, so nothing was imported: the preview lists them.",
                "%(count)s rows have errors, so nothing was imported: the preview lists them.",
                len(checked.bad_rows),
            )
            % {"count": len(checked.bad_rows)},
            code="errors",
        )
    if not writer.count:
        return checked, 0
    count = writer.finish()
    linked = Application.objects.filter(
        project=project, submitted_at=at, identity=Application.Identity.LINKED
    )
    if linked.count() != len(checked.links):
        # A record with one of the new rows' PESELs was saved after the check: the row would
        # be linked to it unconfirmed. Nothing is kept.
        raise IntegrityError("A person was saved meanwhile under a PESEL of the file.")
    return checked, count


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
    project, params = job.project, job.params
    name = params["file"]
    with transaction.atomic():
        # Imports of one project queue up: a second job for the same file waits, then finds
        # the file gone instead of inserting the same people again.
        Project.objects.select_for_update().filter(pk=project.pk).first()
        if not default_storage.exists(name):
            raise ValidationError(_("This file has already been imported."), code="gone")
        checked, count = import_content(
            project,
            read_stored(name),
            filename=params["filename"],
            actor=job.owner,
            consents_signed=params["consents_signed"],
            target_group=project.target_groups.filter(pk=params["target_group"]).first(),
            confirmed=frozenset(params["confirmed"]),
            progress=progress,
        )
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
