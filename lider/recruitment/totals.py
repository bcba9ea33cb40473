"""The kept counts of each project's applications by status, eligibility and identity
(``ApplicationTotal``), for the list's summary: their only writer.

``kept`` wraps each change of one application (its row locked and read before, read again
after, the counts moved by the difference in the same transaction); ``added`` counts rows
written in bulk by the services (an import); ``rebuild`` computes a project's counts (or every
project's) again from the applications, for ``lider rebuild_aggregates``; ``stale`` counts
the kept counts that differ from a fresh computation. Each move is one INSERT … ON CONFLICT DO
UPDATE adding to the count, so two changes at once add up instead of one overwriting the
other.
"""

from collections import Counter
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import Count

from lider.recruitment.models import Application, ApplicationTotal

KEY = ("status", "is_eligible", "identity")


def _move(project_id, moved: Counter) -> None:
    """Add ``moved`` ((status, is_eligible, identity) → by how many) to the project's counts."""
    rows = [(project_id, *key, by) for key, by in sorted(moved.items()) if by]
    if not rows:
        return
    table = connection.ops.quote_name(ApplicationTotal._meta.db_table)
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (project_id, status, is_eligible, identity, applications) "
            f"VALUES {values} ON CONFLICT (project_id, status, is_eligible, identity) "
            f"DO UPDATE SET applications = {table}.applications + excluded.applications",
            [value for row in rows for value in row],
        )


def _key_of(pk):
    return Application.objects.filter(pk=pk).values_list(*KEY).first()


@contextmanager
def kept(application):
    """Keep the counts across a change of ``application`` (saved, or new: saved inside),
    in its transaction: its stored row is locked and read before, read again after."""
    with transaction.atomic():
        before = None
        if application.pk is not None:
            before = (
                Application.objects.select_for_update()
                .filter(pk=application.pk)
                .values_list(*KEY)
                .first()
            )
        yield
        after = _key_of(application.pk) if application.pk is not None else None
        moved = Counter()
        if before is not None:
            moved[before] -= 1
        if after is not None:
            moved[after] += 1
        _move(application.project_id, moved)


def added(project_id, keys) -> None:
    """Count applications written in bulk (their (status, is_eligible, identity))."""
    _move(project_id, Counter(tuple(key) for key in keys))


def changed(project_id, pairs) -> None:
    """Move the counts of applications rewritten in bulk: (key before, key after) each."""
    moved = Counter()
    for before, after in pairs:
        moved[tuple(before)] -= 1
        moved[tuple(after)] += 1
    _move(project_id, moved)


def fresh(project=None) -> dict:
    """(project id, status, is_eligible, identity) → applications, counted from the records."""
    applications = Application.objects.all()
    if project is not None:
        applications = applications.filter(project=project)
    rows = (
        applications.order_by()
        .values("project_id", *KEY)
        .annotate(n=Count("*"))
        .values_list("project_id", *KEY, "n")
    )
    return {(p, s, bool(e), i): n for p, s, e, i, n in rows}


def stored(project=None) -> dict:
    """The kept counts in the form of :func:`fresh` (counts of nought left out)."""
    rows = ApplicationTotal.objects.all()
    if project is not None:
        rows = rows.filter(project=project)
    return {
        (p, s, bool(e), i): n
        for p, s, e, i, n in rows.values_list("project_id", *KEY, "applications")
        if n
    }


def rebuild(project=None) -> int:
    """Count the applications again and keep the counts; returns how many counts there are."""
    counted = fresh(project)
    if counted == stored(project):
        return len(counted)  # nothing to write: a second demo load changes no row
    scope = ApplicationTotal.objects.all()
    if project is not None:
        scope = scope.filter(project=project)
    with transaction.atomic():
        scope.delete()
        ApplicationTotal.objects.bulk_create(
            ApplicationTotal(project_id=p, status=s, is_eligible=e, identity=i, applications=n)
            for (p, s, e, i), n in counted.items()
        )
    return len(counted)


def stale(project=None) -> int:
    """How many kept counts differ from the applications counted again."""
    counted, kept_now = fresh(project), stored(project)
    return sum(
        1 for key in counted.keys() | kept_now.keys() if counted.get(key) != kept_now.get(key)
    )
