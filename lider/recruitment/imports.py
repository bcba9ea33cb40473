"""Importing people from a spreadsheet: upload, preview with every error, import all or none.

The uploaded file waits in the file storage (imports/, on local disk or in S3) under a random
name, remembered in the uploader's session, until it is imported, cancelled or its preview expires
(`LIDER_IMPORT_PREVIEW_MINUTES`, 2 hours by default). It holds PESEL numbers, so expired files
are deleted at every upload and by `lider purge_import_files` (for a cron job); a preview
opened after its time has no file any more.

A row whose PESEL Lider already holds is shown with the differences between the file and the
record; it is linked only if the office ticks it (audited on the person), otherwise it is not
imported. The upload queues the check as a background job (`import_jobs.CHECK_KIND`) and the
preview page follows it (rows checked, polled) until it shows the outcome; confirming the
preview queues the import (`import_jobs.KIND`): the worker checks the file again and imports
every row or none; the job's page shows the outcome. No request reads the file.
"""

import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lider.core.spreadsheets import XLSX_CONTENT_TYPE
from lider.jobs.models import Job
from lider.jobs.services import start_job
from lider.people import import_template
from lider.projects.access import project_view
from lider.recruitment import import_jobs
from lider.recruitment.forms import ImportForm

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
        stored[token]["check_job"] = _start_check(request, project, stored[token]).pk
        request.session[SESSION_KEY] = stored
        return redirect("recruitment:import_preview", slug=project.slug, token=token)
    return render(request, "recruitment/backoffice/import.html", {"project": project, "form": form})


def _start_check(request, project, stored: dict) -> Job:
    return start_job(
        project,
        kind=import_jobs.CHECK_KIND,
        title=_("Check of %(file)s") % {"file": stored["name"]},
        params={"file": stored["file"], "filename": stored["name"]},
        actor=request.user,
    )


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
        # The worker checks the file again and imports it (lider.recruitment.import_jobs).
        job = start_job(
            project,
            kind=import_jobs.KIND,
            title=_("Import of %(file)s") % {"file": stored["name"]},
            params={
                "file": name,
                "token": token,
                "filename": stored["name"],
                "confirmed": sorted(_confirmed(request)),
                "consents_signed": request.POST.get("consents_signed") == "on",
                "target_group": stored.get("target_group"),
            },
            actor=request.user,
        )
        # Back on the preview after this import, the file is checked anew.
        stored.pop("check_job", None)
        request.session.modified = True
        return redirect("recruitment:import_job", slug=project.slug, pk=job.pk)
    check = Job.objects.filter(
        pk=stored.get("check_job"), project=project, kind=import_jobs.CHECK_KIND
    ).first()
    if check is None:
        check = _start_check(request, project, stored)
        stored["check_job"] = check.pk
        request.session.modified = True
    context = {"project": project, "filename": stored["name"], "token": token, "job": check}
    if not check.finished:
        template = "recruitment/backoffice/import.html"
        if request.headers.get("HX-Request"):
            template += "#checking"
        return render(request, template, context)
    if request.headers.get("HX-Request"):  # the check is over: the whole page shows it
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    result = check.result
    if check.status == Job.Status.FAILED or "table_error" in result:
        context["table_error"] = check.error or result.get("table_error", "")
    else:
        context["checked"] = result
    return render(request, "recruitment/backoffice/import.html", context)


@project_view("people.import")
def import_job(request, project, pk):
    """An import's progress and outcome; once it is over, its preview is forgotten."""
    job = get_object_or_404(
        Job.objects.select_related("owner"), pk=pk, project=project, kind=import_jobs.KIND
    )
    token = job.params.get("token")
    preview_url = None
    if job.finished and token in request.session.get(SESSION_KEY, {}):
        if default_storage.exists(job.params["file"]):
            preview_url = reverse(
                "recruitment:import_preview", kwargs={"slug": project.slug, "token": token}
            )
        else:
            request.session[SESSION_KEY].pop(token, None)
            request.session.modified = True
    template = "jobs/job.html"
    if request.headers.get("HX-Request"):
        template += "#progress"
    return render(
        request,
        template,
        {
            "project": project,
            "job": job,
            "summary": import_jobs.summary(job),
            "back_url": reverse("recruitment:list", kwargs={"slug": project.slug}),
            "back_label": _("Recruitment"),
            "preview_url": preview_url if job.status == Job.Status.FAILED else None,
        },
    )


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
