"""The project's logo strip page (back office) and the logo images (public).

One page, one address: the strip the project prints, where it comes from, and a form per mark.
Each POST names what it does (``action``) and, for one mark, which (``mark``), so no address
takes a mark's id: a mark of another project or programme is simply not found in this one.
"""

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from lider.core.access import is_installation_administrator
from lider.core.permissions import PUBLIC
from lider.projects import logo_images, logos
from lider.projects.access import project_view
from lider.projects.forms import LogoMarkChangeForm, LogoMarkForm
from lider.projects.models import LOGO_STRIP_MAX_MARKS, LogoMark

ACTIONS = {"add", "save", "delete", "up", "down", "customise", "drop", "to_programme"}


@project_view("project.change")
def strip_edit(request, project):
    """The strip the project prints; a manager edits the project's own strip."""
    strip = logos.strip_for(project)
    add_form = LogoMarkForm(prefix="new")
    failed: tuple[int, LogoMarkChangeForm] | None = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS:
            messages.error(request, _("Choose what to do with the strip."))
        else:
            outcome = _act(request, project, strip, action)
            if outcome is True:
                return redirect("projects:logos", slug=project.slug)
            if isinstance(outcome, LogoMarkForm):
                add_form = outcome
            elif isinstance(outcome, tuple):
                failed = outcome
    strip = logos.strip_for(project)
    forms = [
        (mark, failed[1] if failed and failed[0] == mark.pk else _mark_form(mark))
        for mark in strip.marks
    ]
    return render(
        request,
        "projects/backoffice/logos.html",
        {
            "project": project,
            "strip": strip,
            "programme": logos.programme_of(project),
            "forms": forms,
            "add_form": add_form,
            "room": len(strip.marks) < LOGO_STRIP_MAX_MARKS,
            "max_marks": LOGO_STRIP_MAX_MARKS,
            "installation_administrator": is_installation_administrator(request.user),
        },
    )


def _mark_form(mark, data=None, files=None) -> LogoMarkChangeForm:
    return LogoMarkChangeForm(
        data,
        files,
        prefix=f"m{mark.pk}",
        initial={"caption": mark.caption},
        has_image=bool(mark.image),
    )


def _act(request, project, strip, action):
    """Do one action; True when done, else the form to show again (or None)."""
    actor = request.user
    try:
        if action == "customise":
            if strip.own:
                return None
            logos.copy_strip(logos.programme_of(project), project, actor=actor)
            messages.success(request, _("The project now has its own copy of the strip."))
        elif action == "drop":
            logos.drop_project_strip(project, actor=actor)
            messages.success(request, _("The project prints its programme's strip again."))
        elif action == "to_programme":
            return _to_programme(request, project, strip)
        elif action == "add":
            return _add(request, project, strip)
        else:
            return _one_mark(request, project, action)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return None
    return True


def _add(request, project, strip):
    if not strip.own and strip.marks:
        messages.error(request, _("Copy the programme's strip to this project first."))
        return None
    form = LogoMarkForm(request.POST, request.FILES, prefix="new")
    if not form.is_valid():
        return form
    logos.add_mark(
        project,
        actor=request.user,
        caption=form.cleaned_data["caption"],
        image=form.cleaned_data["image"],
    )
    messages.success(request, _("The mark has been added."))
    return True


def _one_mark(request, project, action):
    mark = LogoMark.objects.filter(project=project, pk=_id(request.POST.get("mark"))).first()
    if mark is None:
        messages.error(request, _("This mark is not in the project's own strip."))
        return None
    if action == "delete":
        logos.delete_mark(mark, actor=request.user)
        messages.success(request, _("The mark has been removed."))
    elif action in {"up", "down"}:
        logos.move_mark(mark, actor=request.user, step=-1 if action == "up" else 1)
    else:
        form = _mark_form(mark, request.POST, request.FILES)
        if not form.is_valid():
            return (mark.pk, form)
        logos.change_mark(
            mark,
            actor=request.user,
            caption=form.cleaned_data["caption"],
            image=form.cleaned_data["image"],
            remove_image=form.cleaned_data.get("remove_image", False),
        )
        messages.success(request, _("The mark has been saved."))
    return True


def _to_programme(request, project, strip):
    if not is_installation_administrator(request.user):
        messages.error(
            request, _("Only an administrator of the installation sets a programme's strip.")
        )
        return None
    if not strip.own:
        messages.error(request, _("The project prints its programme's strip already."))
        return None
    programme = logos.programme_of(project)
    logos.copy_strip(project, programme, actor=request.user)
    messages.success(
        request,
        _("Projects of %(programme)s without their own strip now print this one.")
        % {"programme": programme.label},
    )
    return True


def _id(value) -> int | None:
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 10 else None


NAME = re.compile(r"[0-9a-f]{64}")  # whole: fullmatch (a `$` would let a newline through)


@require_GET
@cache_control(public=True, max_age=31536000, immutable=True)
def logo_image(request, name):
    """A logo's PNG, by its checksum; only images some strip uses are served."""
    if not NAME.fullmatch(name):
        raise Http404
    stored = f"{logo_images.FOLDER}/{name}.png"
    if not LogoMark.objects.filter(image=stored).exists():
        raise Http404
    try:
        data = logo_images.read(stored)
    except OSError:
        raise Http404 from None
    response = HttpResponse(data, content_type="image/png")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


logo_image.lider_permission = PUBLIC
