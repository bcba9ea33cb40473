"""Importing people from a spreadsheet: upload, preview with every error, import all or none.

The uploaded file waits in MEDIA_ROOT/imports/ under a random name, remembered in the
uploader's session, until it is imported or replaced.
"""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lider.people import importing
from lider.projects.access import project_view
from lider.recruitment import services
from lider.recruitment.forms import ImportForm

SESSION_KEY = "recruitment_imports"


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def check_file(project, content: bytes, filename: str) -> importing.Checked:
    return importing.validate(
        importing.read_table(content, filename),
        gminas=importing.register_gminas(),
        county_ids=set(project.counties.values_list("pk", flat=True)),
        taken_pesels=services.taken_pesels(project),
    )


@project_view("people.import")
def upload(request, project):
    form = ImportForm(request.POST or None, request.FILES or None, project=project)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        suffix = Path(upload.name).suffix.lower()
        token = secrets.token_urlsafe(16)
        (_folder() / f"{token}{suffix}").write_bytes(upload.read())
        stored = request.session.get(SESSION_KEY, {})
        group = form.cleaned_data["target_group"]
        stored[token] = {
            "project": project.pk,
            "name": upload.name,
            "suffix": suffix,
            "target_group": group.pk if group else None,
        }
        request.session[SESSION_KEY] = stored
        return redirect("recruitment:import_preview", slug=project.slug, token=token)
    return render(request, "recruitment/backoffice/import.html", {"project": project, "form": form})


@project_view("people.import")
def preview(request, project, token):
    stored = request.session.get(SESSION_KEY, {}).get(token)
    if stored is None or stored["project"] != project.pk:
        raise Http404
    path = _folder() / f"{token}{stored['suffix']}"
    if not path.exists():
        raise Http404
    try:
        checked = check_file(project, path.read_bytes(), stored["name"])
    except importing.TableError as error:
        checked, table_error = None, str(error)
    else:
        table_error = ""
    if request.method == "POST" and checked is not None and not checked.errors:
        count = services.import_applications(
            project,
            people=checked.people,
            actor=request.user,
            consents_signed=request.POST.get("consents_signed") == "on",
            target_group=project.target_groups.filter(pk=stored.get("target_group")).first(),
            filename=stored["name"],
        )
        path.unlink(missing_ok=True)
        request.session[SESSION_KEY].pop(token, None)
        request.session.modified = True
        messages.success(
            request,
            _("Imported %(count)s applications; %(skipped)s duplicates were skipped.")
            % {"count": count, "skipped": len(checked.duplicates)},
        )
        return redirect("recruitment:list", slug=project.slug)
    return render(
        request,
        "recruitment/backoffice/import.html",
        {
            "project": project,
            "checked": checked,
            "table_error": table_error,
            "filename": stored["name"],
        },
    )
