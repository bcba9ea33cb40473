"""What marks a project's measure totals stale (``TotalsState``) and queues their rebuild.

Signals, used here as cache invalidation (the house rule): a saved or deleted record that a
measure counts — a participant, their person, an enrolment, a mark, a session, its group or
venue, a certificate, a founded entity, a task, an indicator — and every bulk write that says
so (``rows_written``). Nothing runs inside the writer's transaction but the registration of
one callback per project (or task, session, person) and transaction: when the transaction
commits, the callback finds the projects, gives their state a new change token and queues
``tasks.rebuild_totals`` (the worker in production; inline in development). A rolled-back
change marks nothing.

A load of the territorial register (``lider load_terc``) marks nothing: the totals group by
the county code read through each record's own unit (a person's gmina → its county), and the
load only adds units of its reference date beside the stored ones, never changing one a record
points at (``lider.territory.services.load_terc``), so no participant's county moves. Moving a
person to a unit of the newer register is a save of the person, marked as above.
"""

from django.db import router, transaction
from django.db.models.signals import post_delete, post_save

from lider.core.signals import rows_written

# What a changed row says about its project: ("project", id) when it knows it, else the row
# it hangs from, resolved when the transaction commits.
_SCOPE = {
    "people.Participant": ("project", "project_id"),
    "certification.Certificate": ("project", "project_id"),
    "outcomes.FoundedEntity": ("project", "project_id"),
    "delivery.Venue": ("project", "project_id"),
    "projects.Task": ("project", "project_id"),
    "projects.SpecificGoal": ("project", "project_id"),
    "people.Person": ("person", "pk"),
    "delivery.Enrolment": ("task", "task_id"),
    "delivery.Session": ("task", "task_id"),
    "delivery.Group": ("task", "task_id"),
    "delivery.Attendance": ("session", "session_id"),
}


class _Mark:
    """The callback run at commit; one per key and transaction."""

    def __init__(self, key):
        self.key = key

    def __call__(self):
        mark_stale(_projects_of(*self.key))


def _projects_of(kind: str, pk) -> list[int]:
    from lider.delivery.models import Session
    from lider.people.models import Participant
    from lider.projects.models import Task

    if pk is None:
        return []
    if kind == "project":
        return [pk]

    def rows(model):  # from the database written to, never a replica that may lag behind
        return model.objects.using(router.db_for_write(model))

    if kind == "task":
        return list(rows(Task).filter(pk=pk).values_list("project_id", flat=True))
    if kind == "session":
        return list(rows(Session).filter(pk=pk).values_list("task__project_id", flat=True))
    return list(
        rows(Participant).filter(person_id=pk).values_list("project_id", flat=True).distinct()
    )


def mark_stale(project_ids) -> None:
    """New change tokens for these projects' totals, and a rebuild queued for each."""
    import uuid

    from lider.core import kept_pages
    from lider.reporting import tasks
    from lider.reporting.models import TotalsState

    for pk in sorted(set(project_ids)):
        kept_pages.forget_project(pk)  # the pages showing the figures (lider.core.kept_pages)
        # A project never built has no state: it is stale already (its first rebuild makes it).
        if TotalsState.objects.filter(project_id=pk).update(changed=uuid.uuid4()):
            tasks.rebuild_totals.enqueue(pk)


def changed(kind: str, pk) -> None:
    """Mark the project of this row stale when the current transaction commits."""
    if pk is None:
        return
    key = (kind, pk)
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        getattr(callback, "key", None) == key
        for _sids, callback, _robust in connection.run_on_commit
    ):
        return
    # Robust: a failed rebuild (inline in development) is logged, never the writer's error;
    # the totals then stay stale and the pages compute from the records.
    transaction.on_commit(_Mark(key), robust=True)


def _row_changed(sender, instance, **kwargs):
    kind, attribute = _SCOPE[sender._meta.label]
    changed(kind, getattr(instance, attribute))


def _indicator_changed(sender, instance, **kwargs):
    from lider.projects.models import SpecificGoal

    try:
        goal = instance.goal if instance.goal_id else None
    except SpecificGoal.DoesNotExist:  # deleted with its goal, which marks the project itself
        return
    changed("project", goal.project_id if goal is not None else None)


def _rows_written(sender, project_id=None, **kwargs):
    changed("project", project_id)


def connect() -> None:
    from django.apps import apps

    from lider.reporting.models import Indicator

    for label in _SCOPE:
        try:
            model = apps.get_model(label)
        except LookupError:  # an app that is not installed
            continue
        uid = f"lider.reporting.freshness.{label}"
        post_save.connect(_row_changed, sender=model, dispatch_uid=uid + ".save")
        post_delete.connect(_row_changed, sender=model, dispatch_uid=uid + ".delete")
    for signal in (post_save, post_delete):
        signal.connect(
            _indicator_changed,
            sender=Indicator,
            dispatch_uid=f"lider.reporting.freshness.indicator.{signal is post_save}",
        )
    rows_written.connect(_rows_written, dispatch_uid="lider.reporting.freshness.written")
