"""Reads of the delivery domain, shared by views, documents, exports and certification."""

import calendar
import datetime
from decimal import Decimal

from django.db import models
from django.db.models import (
    Exists,
    F,
    FilteredRelation,
    Func,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat, NullIf

from lider.core.permissions import allows
from lider.delivery.models import (
    Attendance,
    Enrolment,
    Session,
    SessionBooking,
    SessionTotal,
    minutes_of,
)
from lider.people.models import Participant
from lider.people.queries import SORTED_WHOLE, participants_by_name
from lider.people.restrictions import restricted_flag
from lider.projects.access import roles_in
from lider.projects.hours import minutes_per_hour_of


def places_taken():
    """The places taken of each session, counted from the records (an expression over
    Session): the group's enrolments holding a place, or, for a session of no group, its
    bookings. Kept in ``SessionTotal.taken`` (lider.delivery.aggregates)."""
    booked = SessionBooking.objects.filter(
        session=OuterRef("pk"), status=SessionBooking.Status.BOOKED
    )
    enrolled = Enrolment.objects.filter(
        group=OuterRef("group_id"), status__in=Enrolment.TAKES_PLACE
    )
    return models.Case(
        models.When(
            group__isnull=False,
            then=Coalesce(
                Subquery(  # counted from the (group, status) index alone
                    enrolled.values("group").annotate(n=models.Count("*")).values("n")
                ),
                Value(0),
            ),
        ),
        default=Coalesce(
            Subquery(booked.values("session").annotate(n=models.Count("*")).values("n")),
            Value(0),
        ),
        output_field=models.IntegerField(),
    )


def sessions_of(project):
    """The project's sessions with what a listing shows, in date order; ``taken`` is the
    number of places taken (:func:`places_taken`): read from the session's kept total, counted
    only for a session without one (COALESCE stops early)."""
    return (
        Session.objects.filter(task__project=project)
        .for_listing()
        .annotate(
            taken=Coalesce(F("total__taken"), places_taken(), output_field=models.IntegerField())
        )
        .order_by("date", "start_time", "pk")
    )


def month_of(project, *, year: int, month: int, county=None, task=None):
    """Sessions of one calendar month, optionally of one county and one task."""
    first = datetime.date(year, month, 1)
    last = first.replace(day=calendar.monthrange(year, month)[1])
    sessions = sessions_of(project).filter(date__gte=first, date__lte=last)
    if county is not None:
        sessions = sessions.in_county(county)
    if task is not None:
        sessions = sessions.filter(task=task)
    return sessions


def overlapping(session, trainers):
    """Sessions held at the same time as ``session`` (same date, times that overlap) by the
    same group, at the same venue or with one of ``trainers`` (in any project): one query."""
    same = Q(venue_id=session.venue_id)
    if session.group_id:
        same |= Q(group_id=session.group_id)
    trainer_pks = [t.pk for t in trainers]
    if trainer_pks:
        same |= Q(trainers__in=trainer_pks)
    found = Session.objects.filter(
        same,
        date=session.date,
        start_time__lt=session.end_time,
        end_time__gt=session.start_time,
    )
    if session.pk:
        found = found.exclude(pk=session.pk)
    pks = found.values("pk")
    return (
        Session.objects.filter(pk__in=pks)
        .select_related("task", "group", "venue")
        .prefetch_related("trainers")
        .order_by("start_time", "pk")
    )


def may_mark_attendance(session, user, *, roles=None) -> bool:
    """Whether ``user`` may mark attendance at ``session``: staff holding
    ``delivery.mark_any_session`` at any session of the project, a trainer (who holds only
    ``delivery.mark_attendance``) at the sessions they lead. ``roles``: the user's roles in the
    project, when already known."""
    if roles is None:
        roles = roles_in(user, session.task.project)
    if allows(roles, "delivery.mark_any_session"):
        return True
    return (
        allows(roles, "delivery.mark_attendance") and session.trainers.filter(pk=user.pk).exists()
    )


def sessions_of_trainer(user, *, project=None, today=None):
    """A trainer's sessions: today's and the coming ones first (soonest first), then the past
    ones (latest first)."""
    today = today or datetime.date.today()
    sessions = Session.objects.filter(trainers=user)
    if project is not None:
        sessions = sessions.filter(task__project=project)
    return (
        sessions.for_listing()
        .select_related("task__project")
        .annotate(
            past=models.Case(
                models.When(date__lt=today, then=Value(1)),
                default=Value(0),
                output_field=models.IntegerField(),
            ),
            upcoming_date=models.Case(models.When(date__gte=today, then=F("date"))),
        )
        .order_by("past", "upcoming_date", "-date", "start_time", "pk")
    )


def on_list(session):
    """The ids of who belongs on a session's list: the group's enrolled participants (and those
    who left the group only after the session), those with a place booked, and anyone already
    marked. A UNION of three lookups on indexed columns, so that the list costs the same in a
    project of a hundred people as of a hundred thousand."""
    booked = (
        SessionBooking.objects.filter(session=session, status=SessionBooking.Status.BOOKED)
        .values("participant_id")
        .order_by()
    )
    marked = Attendance.objects.filter(session=session).values("participant_id").order_by()
    ids = booked.union(marked)
    if session.group_id:
        in_group = (
            Enrolment.objects.filter(group_id=session.group_id, task_id=session.task_id)
            .filter(Enrolment.on_session_list(session.date))
            .values("participant_id")
            .order_by()
        )
        ids = ids.union(in_group)
    return ids


def roster(session):
    """The participants on a session's attendance list, by surname.

    `restricted`: the person's processing is restricted (art. 18). They stay on the list, as
    attendance is the evidence of the support given, and the list marks them.
    """
    return _roster_rows(
        Participant.objects.filter(project_id=session.task.project_id, pk__in=on_list(session))
    ).order_by("person__last_name", "person__first_name", "institution__name", "pk")


def _roster_rows(participants):
    return participants.select_related("person", "institution").annotate(
        restricted=restricted_flag("person_id")
    )


def _on_list_of_each(session) -> Q:
    """:func:`on_list` as a condition on each participant: a probe of the unique index of
    bookings, of marks and of enrolments, for a walk along the name index."""
    booked = SessionBooking.objects.filter(
        session=session, participant=OuterRef("pk"), status=SessionBooking.Status.BOOKED
    )
    marked = Attendance.objects.filter(session=session, participant=OuterRef("pk"))
    condition = Exists(booked) | Exists(marked)
    if session.group_id:
        condition |= Exists(
            Enrolment.objects.filter(
                task_id=session.task_id, participant=OuterRef("pk"), group_id=session.group_id
            ).filter(Enrolment.on_session_list(session.date))
        )
    return condition


def sheet_pages(session, *, total: int):
    """The attendance sheet a page at a time, by name (people.queries.participants_by_name),
    for a paginator; ``total`` is the list's length (:func:`sheet_counts`). A short list is
    found by its three lookups and sorted; a long one is read along the name index."""
    listed = Participant.objects.filter(project_id=session.task.project_id)
    if total <= SORTED_WHOLE:
        listed = listed.filter(pk__in=on_list(session))
    else:
        listed = listed.filter(_on_list_of_each(session))
    return participants_by_name(
        listed,
        count=total,
        load=lambda ids: _with_marks(_roster_rows(Participant.objects.filter(pk__in=ids)), session),
    )


def attendance_sheet(session):
    """The roster with each person's mark (status, who marked it, when): one query, the mark
    joined (one row at most per person and session)."""
    return _with_marks(roster(session), session)


def _with_marks(participants, session):
    return participants.annotate(
        marks=FilteredRelation("attendance", condition=Q(attendance__session=session)),
        mark=F("marks__status"),
        marked_at=F("marks__marked_at"),
        marked_by_name=F("marks__marked_by__username"),
        marked_by_full_name=models.Case(
            models.When(marks__marked_by__isnull=True, then=Value(None)),
            models.When(
                Q(marks__marked_by__first_name="", marks__marked_by__last_name=""),
                then=F("marks__marked_by__username"),
            ),
            default=Concat(
                "marks__marked_by__first_name", Value(" "), "marks__marked_by__last_name"
            ),
            output_field=models.CharField(),
        ),
    )


def listed(session) -> int:
    """How many are on the session's list: its kept total (delivery.models.SessionTotal), or,
    for a session without one (loaded in bulk), the list counted."""
    kept = SessionTotal.objects.filter(session=session).values("listed")
    counted = (
        Participant.objects.filter(pk__in=on_list(session))
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT", output_field=models.IntegerField()))
        .values("n")
    )
    # One query; the list is counted only where no total is kept (COALESCE stops early).
    return (
        Session.objects.filter(pk=session.pk)
        .values_list(
            Coalesce(Subquery(kept), Subquery(counted), output_field=models.IntegerField()),
            flat=True,
        )
        .get()
    )


def sheet_counts(session) -> dict:
    """The list's summary (how many on it, by mark, unmarked): two queries, the marks counted
    by status from an index and the list's kept total (:func:`listed`). Every mark of the
    session is on its list, so the marks are counted without the list."""
    by_status = dict.fromkeys(Attendance.Status.values, 0)
    by_status.update(
        Attendance.objects.filter(session=session)
        .values("status")
        .annotate(n=models.Count("*"))  # from the (session, status) index alone
        .order_by()
        .values_list("status", "n")
    )
    total = listed(session)
    return {"by_status": by_status, "unmarked": total - sum(by_status.values()), "total": total}


def full_name(participant) -> str:
    """The name printed on lists: a person's first name and surname, or an institution's name."""
    return participant.person.full_name if participant.person_id else participant.institution.name


def _hours(minutes) -> models.Expression:
    """Minutes in the project's hours unit (a participant's project is the task's)."""
    return Cast(
        Cast(minutes, models.FloatField()) / minutes_per_hour_of("project__hours_unit"),
        models.DecimalField(max_digits=9, decimal_places=2),
    )


def planned(task) -> dict:
    """Group id → (minutes, sessions) that a participant of that group is expected at in the
    task: the group's sessions and those held for no group (key None: no group). One grouped
    query over the task's sessions; a task has a few groups, so the answer is a few rows."""
    rows = (
        Session.objects.filter(task=task)
        .values("group_id")
        .annotate(minutes=Sum(minutes_of()), sessions=models.Count("pk"))
        .order_by()
        .values_list("group_id", "minutes", "sessions")
    )
    by_group = {group_id: (minutes or 0, sessions) for group_id, minutes, sessions in rows}
    common = by_group.pop(None, (0, 0))
    plan = {group_id: (m + common[0], n + common[1]) for group_id, (m, n) in by_group.items()}
    plan[None] = common
    return plan


def _by_group(plan: dict, index: int) -> models.Expression:
    """The planned figure of each row's group, as constants chosen by the group id."""
    whens = [
        models.When(group_id_in_task=group_id, then=Value(figures[index]))
        for group_id, figures in plan.items()
        if group_id is not None
    ]
    default = Value(plan[None][index])
    if not whens:
        return models.ExpressionWrapper(default, output_field=models.IntegerField())
    return models.Case(*whens, default=default, output_field=models.IntegerField())


def attendance_shares(task):
    """Participants enrolled in the task, annotated in the database with:

    - ``enrolment_pk``, ``enrolment_status``: their enrolment in the task,
    - ``group_id_in_task``: their group in the task (None for a task without groups),
    - ``minutes_total`` / ``hours_total`` / ``sessions_total``: minutes / hours (the
      project's hours unit) / sessions of the task's sessions of their group (sessions of the
      task held for no group count for everyone),
    - ``minutes_attended`` / ``hours_attended`` / ``sessions_attended``: the same, of the
      sessions they attended (present or late), read from the pre-aggregated
      ``AttendanceTotal`` (one joined row per person, nothing summed per row),
    - ``share``: minutes_attended / minutes_total as a float from 0 to 1 (None without sessions).

    Filter it like any queryset, e.g. ``attendance_shares(task).filter(share__gte=0.8)``. The
    planned figures are read when it is called (one small query), the rest when evaluated.
    """
    plan = planned(task)
    return (
        Participant.objects.annotate(
            in_task=FilteredRelation("enrolments", condition=Q(enrolments__task=task)),
            totals=FilteredRelation("attendance_totals", condition=Q(attendance_totals__task=task)),
        )
        .filter(in_task__isnull=False)
        .select_related("person", "institution")
        .annotate(
            enrolment_pk=F("in_task__pk"),
            enrolment_status=F("in_task__status"),
            group_id_in_task=F("in_task__group_id"),
        )
        .annotate(
            minutes_total=_by_group(plan, 0),
            sessions_total=_by_group(plan, 1),
            minutes_attended=Coalesce(F("totals__minutes_attended"), Value(0)),
            sessions_attended=Coalesce(F("totals__sessions_attended"), Value(0)),
        )
        .annotate(
            hours_total=_hours(F("minutes_total")),
            hours_attended=_hours(F("minutes_attended")),
            share=Cast(F("minutes_attended"), models.FloatField())
            / NullIf(Cast(F("minutes_total"), models.FloatField()), Value(0.0)),
        )
        .order_by("person__last_name", "person__first_name", "institution__name", "pk")
    )


def shares_pages(task, *, group=None):
    """:func:`attendance_shares` a page at a time, by name (people.queries.
    participants_by_name), for a paginator: the page's ids read along the name index through
    the task's enrolments, then their shares; counted on the enrolments' index."""
    enrolments = Enrolment.objects.filter(task=task)
    if group is not None:
        enrolments = enrolments.filter(group=group)
    return participants_by_name(
        Participant.objects.filter(pk__in=enrolments.values("participant_id")),
        count=lambda: enrolments.count(),
        load=lambda ids: attendance_shares(task).filter(pk__in=ids),
    )


def participant_sessions(task, participant):
    """The sessions a participant was expected at in the task, each with their mark and its
    length in the project's hours unit (``hours``)."""
    group_id = (
        Enrolment.objects.filter(task=task, participant=participant)
        .values_list("group_id", flat=True)
        .first()
    )
    marks = Attendance.objects.filter(session=OuterRef("pk"), participant=participant)
    # The person's own marks are looked up by participant (indexed), not joined to every mark
    # of the task's sessions.
    marked = Attendance.objects.filter(participant=participant).values("session_id").order_by()
    return (
        Session.objects.filter(task=task)
        .filter(Q(group_id=group_id) | Q(group__isnull=True) | Q(pk__in=marked))
        .select_related("venue")
        .annotate(
            mark=Subquery(marks.values("status")[:1]),
            hours=Cast(
                Cast(minutes_of(), models.FloatField())
                / minutes_per_hour_of("task__project__hours_unit"),
                models.DecimalField(max_digits=9, decimal_places=2),
            ),
        )
        .order_by("date", "start_time", "pk")
    )


def share_percent(share) -> Decimal | None:
    """A share (0–1) as a percentage with one decimal place, for display."""
    if share is None:
        return None
    return (Decimal(str(share)) * 100).quantize(Decimal("0.1"))
