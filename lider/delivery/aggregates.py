"""The pre-aggregated tables of delivery: attendance (``AttendanceTotal``) and the size of
each session's list and its places taken (``SessionTotal``), kept current and rebuilt.

Their only writer. ``refresh`` runs inside the transaction that changed the marks (a mark, all
present, a session's new times or task), so a page never reads totals older than the marks;
``lists_kept`` wraps each change of who is on a session's list or holds a place in it,
``count_list`` counts one session's list and places again (a new session, a new group or
date); ``rebuild`` computes a project's tables (or every project's) again from the records,
for data loaded in bulk and for ``lider rebuild_aggregates``.
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


# The size of each session's list and the places taken in it


def _fresh_list(session) -> int:
    from lider.delivery.queries import on_list

    return on_list(session).count()


def _fresh_taken(session) -> int:
    from lider.delivery.queries import places_taken

    return Session.objects.filter(pk=session.pk).values_list(places_taken(), flat=True).get()


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
    """Count the session's list and its places taken again and keep the figures (a new
    session, its group or date changed, a rebuild); returns the list's size."""
    with transaction.atomic():
        _lock_totals([session.pk])
        listed = _fresh_list(session)
        SessionTotal.objects.update_or_create(
            session=session, defaults={"listed": listed, "taken": _fresh_taken(session)}
        )
    return listed


def _on_lists(sessions, participant_ids) -> tuple[set, set]:
    """(session id, participant id) of these participants on these sessions' lists (booked,
    marked, or in the session's group: Enrolment.puts_on_list), and of those among them who
    take a place (queries.places_taken: holding a place in the session's group, or booked on
    a session of no group); three small queries."""
    ids = [session_id for session_id, *_ in sessions]
    booked = set(
        SessionBooking.objects.filter(
            session_id__in=ids,
            participant_id__in=participant_ids,
            status=SessionBooking.Status.BOOKED,
        ).values_list("session_id", "participant_id")
    )
    of_no_group = {session_id for session_id, group_id, _, _ in sessions if not group_id}
    taking = {(session_id, p) for session_id, p in booked if session_id in of_no_group}
    pairs = booked | set(
        Attendance.objects.filter(
            session_id__in=ids, participant_id__in=participant_ids
        ).values_list("session_id", "participant_id")
    )
    groups = {group_id for _, group_id, _, _ in sessions if group_id}
    enrolled = Enrolment.objects.filter(
        group_id__in=groups, participant_id__in=participant_ids
    ).values_list("participant_id", "group_id", "task_id", "status", "dropped_on")
    for participant_id, group_id, task_id, status, dropped_on in enrolled:
        of_group = [each for each in sessions if each[1] == group_id]
        pairs |= {
            (session_id, participant_id)
            for session_id, _, task, date in of_group
            if task == task_id and Enrolment.puts_on_list(status, dropped_on, date)
        }
        if status in Enrolment.TAKES_PLACE:
            taking |= {(session_id, participant_id) for session_id, *_ in of_group}
    return pairs, taking


def _moved(before: set, after: set) -> Counter:
    """By how much each session's count moves from the pairs ``before`` to those ``after``."""
    moved = Counter(session_id for session_id, _ in after - before)
    moved.subtract(session_id for session_id, _ in before - after)
    return moved


@contextmanager
def lists_kept(sessions, participant_ids):
    """Keep the totals of these sessions (a queryset) across a change, in its transaction, of
    whether these participants are on their lists or take places in them: who is on them and
    who takes a place before and after, and each session's figures moved by the difference
    (an F() update, so changes of different people at once add up; one update for the
    sessions that move alike). The totals are locked before the lists are read, so two
    changes of one session's list at once are counted one after the other."""
    participant_ids = sorted(set(participant_ids))
    sessions = list(sessions.values_list("pk", "group_id", "task_id", "date"))
    if not sessions or not participant_ids:
        yield
        return
    _lock_totals([session_id for session_id, *_ in sessions])
    listed_before, taking_before = _on_lists(sessions, participant_ids)
    yield
    listed_after, taking_after = _on_lists(sessions, participant_ids)
    listed = _moved(listed_before, listed_after)
    taken = _moved(taking_before, taking_after)
    alike = {}
    for session_id in sorted(listed.keys() | taken.keys()):
        by = (listed[session_id], taken[session_id])
        if by != (0, 0):
            alike.setdefault(by, []).append(session_id)
    for (by_listed, by_taken), session_ids in alike.items():
        SessionTotal.objects.filter(session_id__in=session_ids).update(
            listed=F("listed") + by_listed, taken=F("taken") + by_taken
        )


def stale_lists(project=None) -> int:
    """How many kept session totals differ from their list or places counted again."""
    totals = SessionTotal.objects.select_related("session")
    if project is not None:
        totals = totals.filter(session__task__project=project)
    return sum(
        1
        for total in totals
        if (total.listed, total.taken) != (_fresh_list(total.session), _fresh_taken(total.session))
    )


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
