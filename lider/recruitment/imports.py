"""Importing people from a spreadsheet: upload, preview with every error, import all or none.

The uploaded file waits in the file storage (imports/, on local disk or in S3) under a random
name, remembered in the uploader's session, until it is imported, cancelled or its preview expires
(`LIDER_IMPORT_PREVIEW_MINUTES`, 2 hours by default). It holds PESEL numbers, so expired files
are deleted at every upload and by `lider purge_import_files` (for a cron job); a preview
opened after its time has no file any more.

A row whose PESEL Lider already holds is shown with the differences between the file and the
record; it is linked only if the office ticks it (audited on the person), otherwise it is not
imported.
"""

import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from lider.core import audit, table_reader
from lider.core.spreadsheets import XLSX_CONTENT_TYPE
from lider.people import import_template, importing
from lider.projects.access import project_view
from lider.projects.models import Project
from lider.recruitment import bulk_import
from lider.recruitment.forms import ImportForm
from lider.recruitment.models import Application

SESSION_KEY = "recruitment_imports"


FOLDER = "imports"


def _file_name(token: str, suffix: str) -> str:
    return f"{FOLDER}/{token}{suffix}"


def preview_seconds() -> int:
    return int(getattr(settings, "LIDER_IMPORT_PREVIEW_MINUTES", 120)) * 60


def _expired(name: str, now: float) -> bool:
    if not default_storage.exists(name):
        return True
    return default_storage.get_modified_time(name).timestamp() < now - preview_seconds()


def _read(name: str) -> bytes:
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def purge_expired(now: float | None = None) -> int:
    """Delete the uploaded files whose preview has expired; how many were deleted."""
    now = time.time() if now is None else now
    try:
        _folders, files = default_storage.listdir(FOLDER)
    except FileNotFoundError:  # nothing uploaded yet (local disk; S3 lists nothing instead)
        return 0
    deleted = 0
    for file in files:
        name = f"{FOLDER}/{file}"
        if _expired(name, now):
            default_storage.delete(name)
            deleted += 1
    return deleted


def check_file(
    project, content: bytes, filename: str, confirmed: frozenset[int] = frozenset()
) -> importing.Checked:
    return importing.validate(
        importing.read_table(content, filename),
        gminas=importing.register_gminas(),
        county_ids=set(project.counties.values_list("pk", flat=True)),
        taken_pesels=bulk_import.taken_pesels(project),
        confirmed=confirmed,
    )


def _confirmed(request) -> frozenset[int]:
    """The rows the office ticked to link to the people Lider already holds."""
    values = request.POST.getlist("link")[:100_000]
    return frozenset(int(v) for v in values if v.isascii() and v.isdigit() and len(v) < 9)


def _forget(request, token: str, name: str) -> None:
    default_storage.delete(name)
    request.session.get(SESSION_KEY, {}).pop(token, None)
    request.session.modified = True


@project_view("people.import")
def upload(request, project):
    form = ImportForm(request.POST or None, request.FILES or None, project=project)
    if request.method == "POST" and form.is_valid():
        purge_expired()
        upload = form.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        token = secrets.token_urlsafe(16)
        saved = default_storage.save(_file_name(token, suffix), upload)
        stored = request.session.get(SESSION_KEY, {})
        group = form.cleaned_data["target_group"]
        stored[token] = {
            "project": project.pk,
            "name": upload.name,
            "suffix": suffix,
            "file": saved,
            "target_group": group.pk if group else None,
        }
        request.session[SESSION_KEY] = stored
        return redirect("recruitment:import_preview", slug=project.slug, token=token)
    return render(request, "recruitment/backoffice/import.html", {"project": project, "form": form})


def _stored(request, project, token):
    stored = request.session.get(SESSION_KEY, {}).get(token)
    if stored is None or stored["project"] != project.pk:
        raise Http404
    return stored, stored.get("file") or _file_name(token, stored["suffix"])


@project_view("people.import")
def preview(request, project, token):
    stored, name = _stored(request, project, token)
    if _expired(name, time.time()):
        _forget(request, token, name)
        messages.error(
            request, _("The preview has expired and the file was deleted: upload it again.")
        )
        return redirect("recruitment:import", slug=project.slug)
    if request.method == "POST":
        try:
            done = _import(request, project, token, stored, name)
        except IntegrityError:
            done = None
            # Someone added one of these people meanwhile (a form, another import): the file
            # is checked again below and the preview shows them as they are now.
            messages.error(
                request,
                _("Some of these people were added meanwhile: the file was checked again."),
            )
        if done is not None:
            return done
    try:
        checked = check_file(project, _read(name), stored["name"])
    except importing.TableError as error:
        checked, table_error = None, str(error)
    else:
        table_error = ""
    return render(
        request,
        "recruitment/backoffice/import.html",
        {
            "project": project,
            "checked": checked,
            "table_error": table_error,
            "filename": stored["name"],
            "token": token,
        },
    )


def _import(request, project, token, stored, name):
    """Import the checked file (a redirect), or None when it is not ready to import."""
    with transaction.atomic():
        # Imports of one project queue up: a second submit of the same preview waits, then
        # finds the file gone instead of inserting the same people again.
        Project.objects.select_for_update().filter(pk=project.pk).first()
        if not default_storage.exists(name):
            messages.info(request, _("This file has already been imported."))
            return redirect("recruitment:list", slug=project.slug)
        try:
            checked = check_file(project, _read(name), stored["name"], _confirmed(request))
        except importing.TableError:
            checked = None
        if checked is None or checked.errors:
            return None  # the preview shows why
        count = 0
        if checked.people:
            at = timezone.now()
            with table_reader.collection_paused():  # a fifth of the time on 10,000 rows
                count = bulk_import.import_applications(
                    project,
                    people=checked.people,
                    actor=request.user,
                    consents_signed=request.POST.get("consents_signed") == "on",
                    target_group=project.target_groups.filter(
                        pk=stored.get("target_group")
                    ).first(),
                    filename=stored["name"],
                    submitted_at=at,
                )
            linked = Application.objects.filter(
                project=project, submitted_at=at, identity=Application.Identity.LINKED
            )
            if linked.count() != len(checked.links):
                # A record with one of the new rows' PESELs was saved after the check: the
                # row would be linked to it unconfirmed. Nothing is kept; the file is checked
                # again and the preview shows it.
                raise IntegrityError("A person was saved meanwhile under a PESEL of the file.")
        for link in checked.links:
            audit.record(
                request.user,
                audit.Action.UPDATE,
                link.record,
                project_id=project.pk,
                note=audit.Note(
                    gettext_lazy(
                        "The application imported from %(file)s (row %(row)s) was linked to "
                        "this person, as the office confirmed after comparing the data; the "
                        "record was not changed."
                    ),
                    file=stored["name"],
                    row=link.row,
                ),
            )
        # Still under the project's lock: a second submit waiting for it finds no file.
        default_storage.delete(name)
    _forget(request, token, name)
    messages.success(
        request,
        _("Imported %(count)s applications; %(skipped)s duplicates were skipped.")
        % {"count": count, "skipped": len(checked.duplicates)},
    )
    if checked.restricted:
        messages.warning(
            request,
            _(
                "Rows not imported because processing of the person's data is restricted "
                "(art. 18 GDPR): %(rows)s."
            )
            % {"rows": ", ".join(str(p.row) for p in checked.restricted)},
        )
    if checked.matches:
        messages.warning(
            request,
            ngettext(
                "%(count)s row was not imported: Lider already holds a person with its PESEL "
                "and linking to that record was not confirmed.",
                "%(count)s rows were not imported: Lider already holds people with their "
                "PESELs and linking to those records was not confirmed.",
                len(checked.matches),
            )
            % {"count": len(checked.matches)},
        )
    return redirect("recruitment:list", slug=project.slug)


@project_view("people.import")
def template(request, project):
    """The XLSX template: every column, and a sheet of the values each accepts."""
    response = HttpResponse(import_template.template_xlsx(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="wzor-importu-osob.xlsx"'
    return response


@project_view("people.import")
@require_POST
def cancel(request, project, token):
    """Drop an uploaded file without importing it."""
    _stored_entry, name = _stored(request, project, token)
    _forget(request, token, name)
    messages.info(request, _("The import was cancelled and the file deleted."))
    return redirect("recruitment:import", slug=project.slug)
