"""The pre-aggregated tables of delivery: attendance (``AttendanceTotal``) and the size of
each session's list (``SessionTotal``), kept current and rebuilt.

Their only writer. ``refresh`` runs inside the transaction that changed the marks (a mark, all
present, a session's new times or task), so a page never reads totals older than the marks;
``lists_kept`` wraps each change of who is on a session's list, ``count_list`` counts one
session's list again (a new session, a new group or date); ``rebuild`` computes a project's
tables (or every project's) again from the records, for data loaded in bulk and for
``lider rebuild_aggregates``.
"""

from collections import Counter
from contextlib import contextmanager

from django.db import transaction
from django.db.models import Count, F, Sum

from lider.delivery.models import (
    Attendance,
    AttendanceTotal,
    Enrolment,
    Session,
    SessionBooking,
    SessionTotal,
    minutes_of,
)
from lider.people.models import Participant

BATCH = 5000


def computed(attendance):
    """(participant id, task id) → (minutes attended, sessions attended) of the given marks,
    summed by the database."""
    rows = (
        attendance.filter(status__in=Attendance.ATTENDED)
        .values("participant_id", "session__task_id")
        .annotate(minutes=Sum(minutes_of("session__")), sessions=Count("pk"))
        .order_by()
        .values_list("participant_id", "session__task_id", "minutes", "sessions")
    )
    return {(p, t): (m or 0, s) for p, t, m, s in rows.iterator(chunk_size=BATCH)}


def _store(totals: dict, *, scope) -> None:
    """Replace the rows of ``scope`` (a queryset of AttendanceTotal) with ``totals``."""
    scope.delete()
    AttendanceTotal.objects.bulk_create(
        (
            AttendanceTotal(
                participant_id=p, task_id=t, minutes_attended=minutes, sessions_attended=sessions
            )
            for (p, t), (minutes, sessions) in totals.items()
        ),
        batch_size=BATCH,
    )


def refresh(*, participant_ids, task_ids) -> None:
    """Sum again the totals of these participants in these tasks (a handful of rows). The
    participants' rows are locked first, always in the same order, so two marks of one person
    sent at once queue instead of each writing a total that misses the other's mark."""
    participant_ids, task_ids = sorted(set(participant_ids)), sorted(set(task_ids))
    if not participant_ids or not task_ids:
        return
    with transaction.atomic():
        list(
            Participant.objects.select_for_update()
            .filter(pk__in=participant_ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        totals = computed(
            Attendance.objects.filter(
                participant_id__in=participant_ids, session__task_id__in=task_ids
            )
        )
        _store(
            totals,
            scope=AttendanceTotal.objects.filter(
                participant_id__in=participant_ids, task_id__in=task_ids
            ),
        )


def rebuild(project=None) -> int:
    """Compute the tables again from the records, for one project or all; returns the count
    of attendance totals."""
    attendance = Attendance.objects.all()
    scope = AttendanceTotal.objects.all()
    sessions = Session.objects.all()
    if project is not None:
        attendance = attendance.filter(session__task__project=project)
        scope = scope.filter(task__project=project)
        sessions = sessions.filter(task__project=project)
    with transaction.atomic():
        totals = computed(attendance)
        _store(totals, scope=scope)
        for session in sessions.order_by("pk"):
            count_list(session)
    return len(totals)


# The size of each session's list


def _fresh_list(session) -> int:
    from lider.delivery.queries import on_list

    return on_list(session).count()


def _lock_totals(session_ids) -> None:
    """Lock the kept totals of these sessions for the rest of the transaction, in the order of
    their ids (so two changes never wait for each other's rows), before who is on their lists
    is read: changes of one session's list by rows that lock different things (an enrolment
    under its group, a booking under its session) then read and move its total one after the
    other instead of both counting the same person. PostgreSQL takes FOR UPDATE; SQLite has
    one writer at a time anyway."""
    list(
        SessionTotal.objects.select_for_update()
        .filter(session_id__in=session_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def count_list(session) -> int:
    """Count the session's list again and keep the figure (a new session, its group or date
    changed, a rebuild)."""
    with transaction.atomic():
        _lock_totals([session.pk])
        listed = _fresh_list(session)
        SessionTotal.objects.update_or_create(session=session, defaults={"listed": listed})
    return listed


def _on_lists(sessions, participant_ids) -> set:
    """(session id, participant id) of these participants on these sessions' lists: booked,
    marked, or in the session's group (Enrolment.puts_on_list); three small queries."""
    ids = [session_id for session_id, *_ in sessions]
    pairs = set(
        SessionBooking.objects.filter(
            session_id__in=ids,
            participant_id__in=participant_ids,
            status=SessionBooking.Status.BOOKED,
        ).values_list("session_id", "participant_id")
    )
    pairs |= set(
        Attendance.objects.filter(
            session_id__in=ids, participant_id__in=participant_ids
        ).values_list("session_id", "participant_id")
    )
    groups = {group_id for _, group_id, _, _ in sessions if group_id}
    enrolled = Enrolment.objects.filter(
        group_id__in=groups, participant_id__in=participant_ids
    ).values_list("participant_id", "group_id", "task_id", "status", "dropped_on")
    for participant_id, group_id, task_id, status, dropped_on in enrolled:
        pairs |= {
            (session_id, participant_id)
            for session_id, group, task, date in sessions
            if group == group_id
            and task == task_id
            and Enrolment.puts_on_list(status, dropped_on, date)
        }
    return pairs


@contextmanager
def lists_kept(sessions, participant_ids):
    """Keep the totals of these sessions (a queryset) across a change, in its transaction, of
    whether these participants are on their lists: who is on them before and after, and each
    session's total moved by the difference (an F() update, so changes of different people
    at once add up). The totals are locked before the lists are read, so two changes of one
    session's list at once are counted one after the other."""
    participant_ids = sorted(set(participant_ids))
    sessions = list(sessions.values_list("pk", "group_id", "task_id", "date"))
    if sessions and participant_ids:
        _lock_totals([session_id for session_id, *_ in sessions])
    before = _on_lists(sessions, participant_ids) if sessions and participant_ids else set()
    yield
    if not sessions or not participant_ids:
        return
    after = _on_lists(sessions, participant_ids)
    moved = Counter(session_id for session_id, _ in after - before)
    moved.subtract(session_id for session_id, _ in before - after)
    for session_id, by in moved.items():
        if by:
            SessionTotal.objects.filter(session_id=session_id).update(listed=F("listed") + by)


def stale_lists(project=None) -> int:
    """How many kept session totals differ from their list counted again."""
    totals = SessionTotal.objects.select_related("session")
    if project is not None:
        totals = totals.filter(session__task__project=project)
    return sum(1 for total in totals if total.listed != _fresh_list(total.session))


def stored(project=None) -> dict:
    """The table as it stands, in the form of ``computed`` (rows of zero left out)."""
    rows = AttendanceTotal.objects.all()
    if project is not None:
        rows = rows.filter(task__project=project)
    return {
        (p, t): (m, s)
        for p, t, m, s in rows.values_list(
            "participant_id", "task_id", "minutes_attended", "sessions_attended"
        ).iterator(chunk_size=BATCH)
        if s
    }


def stale(project=None) -> int:
    """How many (participant, task) totals differ from a fresh computation from the marks, and
    session totals from their lists."""
    attendance = Attendance.objects.all()
    if project is not None:
        attendance = attendance.filter(session__task__project=project)
    fresh, kept = computed(attendance), stored(project)
    return sum(
        1 for key in fresh.keys() | kept.keys() if fresh.get(key) != kept.get(key)
    ) + stale_lists(project)
