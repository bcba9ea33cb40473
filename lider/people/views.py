"""The back office of people and institutions: lists (sensitive values masked) and full pages."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from lider.core import audit
from lider.core.permissions import allows
from lider.people import queries
from lider.people.forms import SearchForm
from lider.people.models import Institution, Person
from lider.projects.access import project_view


def _can(roles) -> dict:
    return {"audit_view_object": allows(roles, "audit.view_object")}


@project_view("people.view")
def person_list(request, project):
    search = SearchForm(request.GET)
    page = Paginator(queries.people_in(project, search=search.term), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "people/backoffice/list.html",
        {
            "project": project,
            "page": page,
            "search": search.term,
            "search_errors": search.errors.get("q"),
        },
    )


@project_view("people.view")
def person_detail(request, project, pk):
    person = get_object_or_404(Person.objects.select_related("gmina__parent"), pk=pk)
    if not person.in_project(project.pk):
        raise Http404
    return render(
        request,
        "people/backoffice/detail.html",
        {
            "project": project,
            "person": person,
            "participations": person.participations.select_related("project"),
            "applications": person.applications.filter(project=project),
            "memberships": queries.memberships_of(person),
            "history": audit.history(person),
            "can": _can(request.project_roles),
        },
    )


@project_view("people.view")
def institution_list(request, project):
    search = SearchForm(request.GET)
    page = Paginator(queries.institutions_in(project, search=search.term), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "people/backoffice/institutions.html",
        {
            "project": project,
            "page": page,
            "search": search.term,
            "search_errors": search.errors.get("q"),
        },
    )


@project_view("people.view")
def institution_detail(request, project, pk):
    institution = get_object_or_404(Institution.objects.select_related("gmina__parent"), pk=pk)
    if not institution.in_project(project.pk):
        raise Http404
    return render(
        request,
        "people/backoffice/institution.html",
        {
            "project": project,
            "institution": institution,
            "members": queries.members_of(institution),
            "applications": institution.applications.filter(project=project),
            "history": audit.history(institution),
            "can": _can(request.project_roles),
        },
    )
