"""The pre-aggregated attendance table (``AttendanceTotal``): kept current and rebuilt.

Its only writer. ``refresh`` runs inside the transaction that changed the marks (a mark, all
present, a session's new times or task), so a page never reads totals older than the marks;
``rebuild`` computes a project's table (or every project's) again from the marks, for data
loaded in bulk and for ``lider rebuild_aggregates``.
"""

from django.db import transaction
from django.db.models import Count, Sum

from lider.delivery.models import Attendance, AttendanceTotal, minutes_of
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
    """Compute the table again from the marks, for one project or all; returns the row count."""
    attendance = Attendance.objects.all()
    scope = AttendanceTotal.objects.all()
    if project is not None:
        attendance = attendance.filter(session__task__project=project)
        scope = scope.filter(task__project=project)
    with transaction.atomic():
        totals = computed(attendance)
        _store(totals, scope=scope)
    return len(totals)


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
    """How many (participant, task) totals differ from a fresh computation from the marks."""
    attendance = Attendance.objects.all()
    if project is not None:
        attendance = attendance.filter(session__task__project=project)
    fresh, kept = computed(attendance), stored(project)
    return sum(1 for key in fresh.keys() | kept.keys() if fresh.get(key) != kept.get(key))
