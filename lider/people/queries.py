"""Reads of people and institutions within a project."""

from django.db.models import Count, Exists, Max, Min, OuterRef, Q

from lider.core.paging import TwoStep
from lider.people.models import Institution, InstitutionMember, Participant, Person

# A list of at most this many rows is sorted whole for each page; a longer one walks the name
# index (people.Person's ``person_by_name``) to its page and stops there.
SORTED_WHOLE = 2_000


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


def _applications():
    """recruitment's Application, reached from below through the reverse relation."""
    applications = getattr(Person, "applications", None)
    return applications.rel.related_model if applications is not None else None


def _people_counts(project) -> tuple[int, int]:
    """(participants, applicants who are not participants) of the project: two counts on the
    indexes of participants and of applications, no UNION of every id.

    An application that has its participant made it from its own person (recruitment's
    decision), so only those without one can be of someone who takes no part: they alone are
    checked against the participants (a partial index, ``application_person_pending``), and a
    project whose applicants were all accepted counts none, whatever its size."""
    participants = Participant.objects.filter(project=project, person__isnull=False).count()
    application = _applications()
    if application is None:
        return participants, 0
    applicants_only = (
        application.objects.filter(project=project, person__isnull=False, participant__isnull=True)
        .exclude(Exists(Participant.objects.filter(project=project, person=OuterRef("person"))))
        .count()
    )
    return participants, applicants_only


def people_list(project) -> TwoStep:
    """The project's people (as :func:`people_in`) by surname, first name and record, a page
    at a time (see lider.core.paging): the same few queries, and about the same time, for a
    project of a hundred people as of a hundred thousand."""
    participants, applicants_only = _people_counts(project)
    count = participants + applicants_only
    in_project = Participant.objects.filter(project=project, person=OuterRef("pk"))
    if count <= SORTED_WHOLE:
        # Few: the project's own ids, then their names sorted.
        members = Q(pk__in=_in_project(Person, project).values("pk"))
    elif not applicants_only:
        # Many, all participants: walk the name index, probing the participants' unique
        # (project, person) index for each person, until the page is full.
        members = Exists(in_project)
    else:
        # Many, some only applicants: the same walk, each person checked against the
        # project's participants and applicants.
        members = Exists(in_project) | Exists(
            _applications().objects.filter(project=project, person=OuterRef("pk"))
        )
    ordered = (
        Person.objects.filter(members)
        .order_by("last_name", "first_name", "pk")
        .values_list("pk", flat=True)
    )
    return TwoStep(
        ids=lambda start, stop: ordered[start:stop],
        load=lambda ids: Person.objects.filter(pk__in=ids).select_related(
            "gmina__parent", "restriction"
        ),
        count=count,
    )


def participants_by_name(participants, *, load, count=None, people=None, institutions=None):
    """Participants (a queryset that only filters) as a list for a paginator, by name: people
    by surname, first name and record, then institutions by name and record; ``load(ids)``
    reads the page's rows with what the page shows. Each part of a page is read by walking
    the name index of people or of institutions (or, for a few, by sorting them), never by
    sorting every participant, whose name lives in another table. ``people`` and
    ``institutions`` are further conditions on each part (a search); ``count`` the length
    (a number or a function), counted from the two parts when not given."""
    people_ids = (
        participants.filter(person__last_name__isnull=False)  # an inner join to the person
        .filter(people or Q())
        .order_by("person__last_name", "person__first_name", "person_id")
        .values_list("pk", flat=True)
    )
    institution_ids = (
        participants.filter(institution__name__isnull=False)
        .filter(institutions or Q())
        .order_by("institution__name", "institution_id")
        .values_list("pk", flat=True)
    )

    def ids(start, stop):
        found = list(people_ids[start:stop])
        if len(found) == stop - start:
            return found
        # The people end on this page (or before it): institutions follow them.
        first = (
            0 if found or not start else max(0, start - listing.count() + institution_ids.count())
        )
        return found + list(institution_ids[first : first + stop - start - len(found)])

    listing = TwoStep(
        ids=ids,
        load=load,
        count=count if count is not None else lambda: people_ids.count() + institution_ids.count(),
    )
    return listing


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


def participants_matching(project, text: str = "", *, exclude=None):
    """The project's participants whose name (person's or institution's) contains every word
    of ``text``, or whose PESEL is a word of it, by name (:func:`participants_by_name`: people
    by surname, then institutions); every participant for no text; less those matching the Q
    ``exclude``. For pickers, which take the first few: each part is read along its name
    index, or, when the database expects few matches, found and sorted."""
    people, institutions = Q(), Q()
    for word in text.split()[:5]:
        people &= (
            Q(person__last_name__icontains=word)
            | Q(person__first_name__icontains=word)
            | Q(person__pesel=word)
        )
        institutions &= Q(institution__name__icontains=word)
    participants = Participant.objects.filter(project=project)
    if exclude is not None:
        participants = participants.exclude(exclude)
    return participants_by_name(
        participants,
        people=people,
        institutions=institutions,
        load=lambda ids: Participant.objects.filter(pk__in=ids).select_related(
            "person", "institution"
        ),
    )


def employees_dates(participant: Participant) -> tuple:
    """(first start, last end) of the paths of the institution's employees who took part in
    the project: what the exports read when the office recorded no dates of its own (the end
    only once every one of them has ended). One query."""
    found = Participant.objects.filter(
        project_id=participant.project_id,
        start_date__isnull=False,
        person__institutionmember__institution_id=participant.institution_id,
        person__institutionmember__relation=InstitutionMember.Relation.EMPLOYEE,
    ).aggregate(
        first=Min("start_date"),
        last=Max("end_date"),
        going=Count("pk", filter=Q(end_date__isnull=True)),
    )
    return found["first"], None if found["going"] else found["last"]
