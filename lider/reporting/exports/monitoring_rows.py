"""The rows a monitoring export reads: participants, forms of support, institutions, and the
context of the file. Writing them is :mod:`lider.reporting.exports.monitoring`.

Only participants are exported: people whose path has started (the first attended session of
a task the project counts as participation, see lider.people.paths); attendees of meetings and
conferences only are not, and neither is a person whose processing is restricted (art. 18).
Every query streams (``CHUNK`` rows at a time) and reads from the replica inside
``reading_replica()``.

Per participant and form of support (SL2014, CST2021), the support's start, its planned end
and the employer are looked up per row through indexes (correlated subqueries), once each.
Grouped subqueries joined to the enrolments were faster with fresh planner statistics but,
before ANALYZE (a bulk import, autovacuum off), PostgreSQL joined them by nested loops, row by
row over the whole aggregate: 26 s instead of 0.5 s at 10,000 participants. Lookups per row
cost the same whatever the statistics. People are ordered with ``collation.polish`` (on SQLite
a sort key per row, not a call into Python per comparison).
"""

from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from lider.core.collation import polish
from lider.delivery.models import Attendance, Enrolment, Session
from lider.people import paths
from lider.people.models import InstitutionMember, Participant
from lider.reporting.exports.columns import (
    FIELDS,
    INSTITUTION_FIELDS,
    PARTICIPANT_FIELDS,
    SUPPORT_FIELDS,
    Context,
    Profile,
)
from lider.territory.models import Unit
from lider.territory.urbanisation import degrees_of

CHUNK = 2000


def employer_of(project, person_ref: str):
    """The name of the institution taking part in the project that employs the person (the
    person reached through ``person_ref``, an OuterRef path), for the 'Nazwa instytucji' of an
    employee's row."""
    return Subquery(
        InstitutionMember.objects.filter(
            person=OuterRef(person_ref),
            relation=InstitutionMember.Relation.EMPLOYEE,
            institution__participations__project=project,
        )
        .order_by("institution__name", "institution_id")
        .values("institution__name")[:1]
    )


def participants_rows(project):
    """The project's individual participants as tuples in ``FIELDS`` order (one query)."""
    first_task_kind = (
        Enrolment.objects.filter(participant=OuterRef("pk"))
        .order_by("task__order", "task_id")
        .values("task__kind")[:1]
    )
    return (
        Participant.objects.filter(project=project, person__isnull=False, start_date__isnull=False)
        .filter(person__restriction__isnull=True)  # restricted (art. 18): left out
        .annotate(
            support_kind=Subquery(first_task_kind),
            employer_name=employer_of(project, "person_id"),
        )
        .order_by(polish("person__last_name"), polish("person__first_name"), "pk")
        .values_list(*FIELDS.values())
    )


def _employs(project) -> bool:
    """Whether any institution taking part in the project has employees (one query)."""
    return InstitutionMember.objects.filter(
        relation=InstitutionMember.Relation.EMPLOYEE,
        institution__participations__project=project,
    ).exists()


def _support_query(project):
    """Every enrolment in a participation task, annotated with its support's first attended
    session (``None``: never attended), in the export's order."""
    attended = (
        Attendance.objects.filter(
            participant=OuterRef("participant_id"),
            session__task=OuterRef("task_id"),
            status__in=Attendance.ATTENDED,
        )
        .order_by()
        .values("participant_id")
        .annotate(first=Min("session__date"))
        .values("first")
    )
    last_of_group = (
        Session.objects.filter(task=OuterRef("task_id"), group=OuterRef("group_id"))
        .order_by("-date")
        .values("date")[:1]
    )
    last_of_task = (
        Session.objects.filter(task=OuterRef("task_id")).order_by("-date").values("date")[:1]
    )
    return (
        Enrolment.objects.filter(
            paths.rule_of(project).q("task"),
            task__project=project,
            status__in=paths.PLANNED,
            participant__person__isnull=False,
            participant__start_date__isnull=False,
            participant__person__restriction__isnull=True,  # restricted (art. 18): left out
        )
        .annotate(
            support=F("task__kind"),
            support_start=Subquery(attended),
            # An enrolment without a group looks up the task's last session only.
            support_planned_end=Case(
                When(group__isnull=True, then=Subquery(last_of_task)),
                default=Coalesce(Subquery(last_of_group), Subquery(last_of_task)),
            ),
            support_status=F("status"),
            support_dropped_on=F("dropped_on"),
            # A project with no employees of institutions taking part looks up no employer.
            employer=employer_of(project, "participant__person_id")
            if _employs(project)
            else Value(None, output_field=CharField()),
        )
        .order_by(
            polish("participant__person__last_name"),
            polish("participant__person__first_name"),
            "participant_id",
            "task__order",
            "task_id",
        )
        .values_list(
            *(f"participant__{path}" for path in PARTICIPANT_FIELDS.values()), *SUPPORT_FIELDS
        )
    )


_SUPPORT_START = len(PARTICIPANT_FIELDS) + SUPPORT_FIELDS.index("support_start")


class SupportRows:
    """One tuple per participant and form of support (each enrolment in a participation task
    with at least one attended session), in ``field_names`` order of a per-support profile;
    iterating runs one query and streams it, :meth:`count` counts the rows.

    An enrolment never attended is no form of support. It is dropped here rather than by the
    query: filtering on the support's start would have the database look it up twice a row.
    """

    def __init__(self, project):
        self.query = _support_query(project)

    def __iter__(self):
        start = _SUPPORT_START
        return (row for row in self.query.iterator(chunk_size=CHUNK) if row[start] is not None)

    def count(self) -> int:
        return self.query.filter(support_start__isnull=False).count()


def support_rows(project) -> SupportRows:
    return SupportRows(project)


def institution_rows(project):
    """The institutions taking part, in ``INSTITUTION_FIELDS`` order (one query).

    An institution attends no session itself: unless the office recorded its dates, its
    participation starts with its first employee's and ends with the last one's, once every
    employee who took part has ended."""
    employees = InstitutionMember.objects.filter(
        institution=OuterRef("institution_id"),
        relation=InstitutionMember.Relation.EMPLOYEE,
        person__participations__project=project,
        person__participations__start_date__isnull=False,
    )

    def employees_paths(aggregate, field):
        return Subquery(
            employees.annotate(_group=Value(1))
            .values("_group")
            .annotate(value=aggregate(f"person__participations__{field}"))
            .values("value")[:1]
        )

    still_going = employees.filter(person__participations__end_date__isnull=True)
    return (
        Participant.objects.filter(project=project, institution__isnull=False)
        .annotate(
            employees_supported=Exists(employees),
            institution_start=Coalesce(F("start_date"), employees_paths(Min, "start_date")),
            institution_end=Coalesce(
                F("end_date"),
                Case(
                    When(Exists(still_going), then=None),
                    default=employees_paths(Max, "end_date"),
                ),
            ),
        )
        .order_by("institution__name", "pk")
        .values_list(*INSTITUTION_FIELDS.values())
    )


def rows_for(project, profile: Profile):
    """The profile's rows of the project, streamed."""
    if profile.per_support:
        return iter(support_rows(project))
    return participants_rows(project).iterator(chunk_size=CHUNK)


def count_rows(project, profile: Profile) -> int:
    """How many rows :func:`rows_for` gives (for a job's progress)."""
    if profile.per_support:
        return support_rows(project).count()
    return participants_rows(project).count()


def _degurba(project) -> dict[int, tuple[str, int]]:
    taking_part = Participant.objects.filter(project=project)
    gminas = Unit.objects.filter(
        Q(pk__in=taking_part.filter(person__isnull=False).values("person__gmina_id"))
        | Q(pk__in=taking_part.filter(institution__isnull=False).values("institution__gmina_id"))
    ).only("pk", "code", "gmina_type")
    return degrees_of(gminas)


def context_for(project, *, full_sensitive: bool) -> Context:
    return Context(
        contract_number=project.contract_number,
        degurba=_degurba(project),
        project_number=project.number,
        beneficiary=project.applicant.name,
        project_title=project.title,
        project_start=project.start_date,
        project_end=project.end_date,
        full_sensitive=full_sensitive,
    )
