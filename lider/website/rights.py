"""The data subject's rights, answered by the office from a person's page.

Access (art. 15): everything Lider holds about the person, as PDF or JSON, from the projects
where the user may answer such requests (`personal.subject_rights`); each download is
recorded in the audit trail as an export.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy

from lider.core import audit
from lider.core.permissions import roles_with
from lider.people.models import Person
from lider.projects.access import project_view
from lider.projects.models import Project
from lider.website import subject_access

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
    person = get_object_or_404(Person, pk=pk)
    if not person.in_project(project.pk):
        raise Http404
    data = subject_access.collect(person, projects=answerable_projects(request.user))
    return download(
        person, data, fmt=fmt, lang=request.LANGUAGE_CODE, actor=request.user, project_id=project.pk
    )
