"""Reads of people and institutions within a project."""

from django.db.models import Q

from lider.people.models import Institution, InstitutionMember, Participant, Person


def _in_project(model, project):
    """People or institutions taking part in, or applying to, the project: the one answer to
    "is this person in the project" (lists, access checks, erasure, retention).

    `project` is a Project or its id. Applications belong to `recruitment`, above this app, so
    they are reached through the reverse relation."""
    field = "person" if model is Person else "institution"
    # A UNION of two lookups by the project's indexed column: the cost follows the project's
    # own people, not everybody's (an OR of EXISTS scanned every person of every project).
    ids = (
        Participant.objects.filter(project=project, **{f"{field}__isnull": False})
        .values(f"{field}_id")
        .order_by()
    )
    applications = getattr(model, "applications", None)
    if applications is not None:
        ids = ids.union(
            applications.rel.related_model.objects.filter(
                project=project, **{f"{field}__isnull": False}
            )
            .values(f"{field}_id")
            .order_by()
        )
    return model.objects.filter(pk__in=ids)


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


def participants_matching(project, text: str = ""):
    """The project's participants whose name (person's or institution's) contains every word
    of ``text``, or whose PESEL is ``text``, by surname; every participant for no text. For
    pickers, which take the first few."""
    found = Participant.objects.filter(project=project).select_related("person", "institution")
    for word in text.split()[:5]:
        found = found.filter(
            Q(person__last_name__icontains=word)
            | Q(person__first_name__icontains=word)
            | Q(institution__name__icontains=word)
            | Q(person__pesel=word)
        )
    return found.order_by("person__last_name", "person__first_name", "institution__name", "pk")
