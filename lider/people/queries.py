"""Reads of people and institutions within a project."""

from django.db.models import Exists, OuterRef, Q

from lider.people.models import Institution, InstitutionMember, Participant, Person


def _in_project(model, project):
    """People or institutions taking part in, or applying to, the project: the one answer to
    "is this person in the project" (lists, access checks, erasure, retention).

    `project` is a Project or its id. Applications belong to `recruitment`, above this app, so
    they are reached through the reverse relation."""
    field = "person" if model is Person else "institution"
    taking_part = Participant.objects.filter(project=project, **{field: OuterRef("pk")})
    condition = Exists(taking_part)
    applications = getattr(model, "applications", None)
    if applications is not None:
        applied = applications.rel.related_model.objects.filter(
            project=project, **{field: OuterRef("pk")}
        )
        condition |= Exists(applied)
    return model.objects.filter(condition)


def people_in(project, *, search: str = ""):
    people = _in_project(Person, project).select_related("gmina__parent", "restriction")
    if search:
        people = people.filter(
            Q(last_name__icontains=search) | Q(first_name__icontains=search) | Q(pesel=search)
        )
    return people


def in_project(subject, project) -> bool:
    """Whether this person or institution takes part in, or applied to, the project."""
    return _in_project(type(subject), project).filter(pk=subject.pk).exists()


def institutions_in(project, *, search: str = ""):
    institutions = _in_project(Institution, project).select_related("gmina__parent")
    if search:
        institutions = institutions.filter(Q(name__icontains=search) | Q(nip=search))
    return institutions


def memberships_of(person):
    return InstitutionMember.objects.filter(person=person).select_related("institution")


def members_of(institution):
    return InstitutionMember.objects.filter(institution=institution).select_related("person")
