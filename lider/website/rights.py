"""The data subject's rights, answered by the office from a person's page.

Restriction (art. 18) and objection (art. 21): the office sets the flag with its reason, or
lifts it; both are recorded in the person's history.

Access (art. 15): everything Lider holds about the person, as PDF or JSON, from the projects
where the user may answer such requests (`personal.subject_rights`); each download is
recorded in the audit trail as an export.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lider.core import audit
from lider.core.permissions import roles_with
from lider.people import restrictions
from lider.people.models import Person, Restriction
from lider.projects.access import project_view
from lider.projects.models import Project
from lider.website import erasure, register, subject_access

FORMATS = {"pdf": "application/pdf", "json": "application/json"}


def answerable_projects(user):
    """Projects where the user may answer a data subject's request."""
    return Project.objects.filter(
        memberships__user=user, memberships__role__in=roles_with("personal.subject_rights")
    ).distinct()


def download(person, data, *, fmt: str, lang: str, actor, project_id=None) -> HttpResponse:
    body = (
        subject_access.as_pdf(person, data, lang=lang)
        if fmt == "pdf"
        else subject_access.as_json(data)
    )
    audit.record(
        actor,
        audit.Action.EXPORT,
        person,
        project_id=project_id,
        note=audit.Note(
            gettext_lazy("everything held about the person (art. 15 GDPR), %(format)s"),
            format=fmt.upper(),
        ),
    )
    response = HttpResponse(body, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="dane-osobowe-{person.pk}.{fmt}"'
    return response


@project_view("personal.subject_rights")
def person_access(request, project, pk, fmt):
    if fmt not in FORMATS:
        raise Http404
    person = _person_in(project, pk)
    data = subject_access.collect(person, projects=answerable_projects(request.user))
    return download(
        person, data, fmt=fmt, lang=request.LANGUAGE_CODE, actor=request.user, project_id=project.pk
    )


class RestrictionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Request"), choices=Restriction.Kind.choices)
    reason = forms.CharField(
        label=gettext_lazy("Reason and how the request came"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _person_in(project, pk) -> Person:
    person = get_object_or_404(Person, pk=pk)
    if not person.in_project(project.pk):
        raise Http404
    return person


@project_view("personal.subject_rights")
@require_POST
def restrict(request, project, pk):
    person = _person_in(project, pk)
    form = RestrictionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("people:detail", slug=project.slug, pk=person.pk)
    try:
        restrictions.restrict(
            person,
            kind=form.cleaned_data["kind"],
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Processing of the person's data is now restricted."))
    return redirect("people:detail", slug=project.slug, pk=person.pk)


@project_view("personal.subject_rights")
@require_POST
def lift_restriction(request, project, pk):
    person = _person_in(project, pk)
    restrictions.lift(person, actor=request.user)
    messages.success(request, _("The restriction has been lifted."))
    return redirect("people:detail", slug=project.slug, pk=person.pk)


@project_view("personal.subject_rights")
@require_POST
def erase(request, project, pk):
    """Erase a person on request; refused with the legal reason while evidence is kept."""
    person = _person_in(project, pk)
    try:
        erasure.erase_person(person, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("people:detail", slug=project.slug, pk=person.pk)
    messages.success(request, _("The person's data has been erased (anonymised)."))
    return redirect("people:list", slug=project.slug)


@project_view("personal.subject_rights")
def anonymise_project(request, project):
    """After the archiving date: a page that says what will happen; the POST from it does it."""
    if request.method == "POST":
        try:
            count = erasure.anonymise_project(project, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("Personal data of %(count)s people anonymised.") % {"count": count}
            )
        return redirect("rights:anonymise", slug=project.slug)
    return render(
        request,
        "website/rights/anonymise.html",
        {
            "project": project,
            "refusal": erasure.project_refusal(project),
            "report": erasure.retention(project),
        },
    )


REGISTER_FORMATS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@project_view("personal.subject_rights")
def processing_register(request, project, fmt):
    """The project's register of processing activities (art. 30) as PDF or XLSX."""
    if fmt not in REGISTER_FORMATS:
        raise Http404
    build = register.as_pdf if fmt == "pdf" else register.as_xlsx
    response = HttpResponse(
        build(project, lang=request.LANGUAGE_CODE), content_type=REGISTER_FORMATS[fmt]
    )
    response["Content-Disposition"] = f'attachment; filename="rejestr-{project.slug}.{fmt}"'
    return response
