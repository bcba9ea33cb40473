"""Places: enrolment into a task's group and booking a place in one session, within capacity.

Capacity is enforced under a lock on the row that holds it (the Group or the Session):
`select_for_update()` on PostgreSQL. SQLite ignores FOR UPDATE, but it lets one writer at a time
hold the database; `_lock` makes the transaction a writer *first* (an update that changes
nothing) so concurrent enrolments queue instead of counting the same free places.
"""

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lider.core import audit
from lider.delivery.aggregates import lists_kept
from lider.delivery.models import (
    Enrolment,
    Group,
    Session,
    SessionBooking,
)
from lider.people import paths
from lider.people.restrictions import refuse_if_restricted


def lock_row(model, pk):
    """Lock one row for the rest of the transaction and return it fresh.

    Call it first in the transaction: on SQLite a transaction that has read cannot wait for
    the write lock ("database is locked" at once), one that starts by writing can."""
    if connection.vendor == "sqlite":
        model._default_manager.filter(pk=pk).update(id=models.F("id"))
    return model._default_manager.select_for_update().get(pk=pk)


def _free_places(capacity, taken: int) -> bool:
    return capacity is None or taken < capacity


def _sessions_of(group_id):
    """The sessions whose list an enrolment in the group may put its participant on."""
    return Session.objects.filter(group_id=group_id) if group_id else Session.objects.none()


def enrol(task, *, participant, group=None, actor, at=None) -> Enrolment:
    """Enrol a participant in the task's group: qualified while places last, else waiting."""
    if participant.project_id != task.project_id:
        raise ValidationError(_("The participant takes part in another project."), code="project")
    refuse_if_restricted(participant.person_id)
    if group is not None and group.task_id != task.pk:
        raise ValidationError(_("The group belongs to another task."), code="group")
    with transaction.atomic():
        if group is not None:
            group = lock_row(Group, group.pk)
        if Enrolment.objects.filter(task=task, participant=participant).exists():
            raise ValidationError(
                _("The participant is already enrolled in this task."), code="duplicate"
            )
        taken = (
            Enrolment.objects.filter(group=group, status__in=Enrolment.TAKES_PLACE).count()
            if group is not None
            else 0
        )
        status = (
            Enrolment.Status.QUALIFIED
            if group is None or _free_places(group.capacity, taken)
            else Enrolment.Status.WAITING
        )
        with lists_kept(_sessions_of(group and group.pk), [participant.pk]):
            enrolment = Enrolment.objects.create(
                task=task,
                group=group,
                participant=participant,
                status=status,
                enrolled_at=at or timezone.now(),
            )
        audit.created(enrolment, actor=actor)
    return enrolment


def change_enrolment_status(
    enrolment: Enrolment, *, status, actor, dropped_on=None, reason=""
) -> Enrolment:
    """Move an enrolment along Enrolment.TRANSITIONS; a place freed goes to the next waiting."""
    with transaction.atomic():
        if enrolment.group_id:
            lock_row(Group, enrolment.group_id)
        else:
            lock_row(Enrolment, enrolment.pk)
        enrolment.refresh_from_db()
        old = enrolment.status
        if status not in Enrolment.TRANSITIONS[old]:
            raise ValidationError(
                _("An enrolment cannot go from “%(old)s” to “%(new)s”.")
                % {
                    "old": str(Enrolment.Status(old).label),
                    "new": str(Enrolment.Status(status).label),
                },
                code="transition",
            )
        fields = ["status"]
        if status == Enrolment.Status.DROPPED:
            if not reason.strip():
                raise ValidationError(_("Give the reason for dropping out."), code="drop_reason")
            enrolment.dropped_on = dropped_on or timezone.localdate()
            enrolment.drop_reason = reason.strip()
            fields += ["dropped_on", "drop_reason"]
        if (
            status in Enrolment.TAKES_PLACE
            and old not in Enrolment.TAKES_PLACE
            and enrolment.group_id
            and not _free_places(
                enrolment.group.capacity,
                Enrolment.objects.filter(
                    group_id=enrolment.group_id, status__in=Enrolment.TAKES_PLACE
                ).count(),
            )
        ):
            raise ValidationError(_("There are no free places in the group."), code="full")
        enrolment.status = status
        with lists_kept(_sessions_of(enrolment.group_id), [enrolment.participant_id]):
            enrolment.save(update_fields=fields)
        audit.status_changed(
            enrolment,
            actor=actor,
            old=old,
            new=status,
            note=enrolment.drop_reason if status == Enrolment.Status.DROPPED else "",
        )
        if old in Enrolment.TAKES_PLACE and status not in Enrolment.TAKES_PLACE:
            promote_waiting(enrolment.group, actor=actor)
        paths.refresh(
            enrolment.task.project, actor=actor, participant_ids=[enrolment.participant_id]
        )
    return enrolment


def promote_waiting(group: Group | None, *, actor) -> list[Enrolment]:
    """Give free places of the group to the waiting list, first come first served."""
    if group is None:
        return []
    promoted = []
    with transaction.atomic():
        group = lock_row(Group, group.pk)
        taken = Enrolment.objects.filter(group=group, status__in=Enrolment.TAKES_PLACE).count()
        free = None if group.capacity is None else max(group.capacity - taken, 0)
        waiting = Enrolment.objects.filter(group=group, status=Enrolment.Status.WAITING).order_by(
            "enrolled_at", "pk"
        )
        chosen = list(waiting if free is None else waiting[:free])
        with lists_kept(_sessions_of(group.pk), [each.participant_id for each in chosen]):
            for enrolment in chosen:
                enrolment.status = Enrolment.Status.QUALIFIED
                enrolment.save(update_fields=["status"])
                audit.status_changed(
                    enrolment,
                    actor=actor,
                    old=Enrolment.Status.WAITING,
                    new=Enrolment.Status.QUALIFIED,
                    note=gettext_lazy("a place became free"),
                )
                promoted.append(enrolment)
    return promoted


def book_session(session: Session, *, participant, actor, at=None) -> SessionBooking:
    """Book a place: booked while places last, else on the waiting list."""
    if participant.project_id != session.task.project_id:
        raise ValidationError(_("The participant takes part in another project."), code="project")
    with transaction.atomic():
        session = lock_row(Session, session.pk)
        booking = SessionBooking.objects.filter(session=session, participant=participant).first()
        if booking is not None and booking.status != SessionBooking.Status.CANCELLED:
            raise ValidationError(
                _("The participant already has a place in this session."), code="duplicate"
            )
        taken = SessionBooking.objects.filter(
            session=session, status=SessionBooking.Status.BOOKED
        ).count()
        status = (
            SessionBooking.Status.BOOKED
            if _free_places(session.capacity, taken)
            else SessionBooking.Status.WAITING
        )
        kept = lists_kept(Session.objects.filter(pk=session.pk), [participant.pk])
        if booking is None:
            with kept:
                booking = SessionBooking.objects.create(
                    session=session,
                    participant=participant,
                    status=status,
                    created_at=at or timezone.now(),
                )
            audit.created(booking, actor=actor)
        else:
            old = booking.status
            booking.status, booking.created_at = status, at or timezone.now()
            with kept:
                booking.save(update_fields=["status", "created_at"])
            audit.status_changed(
                booking,
                actor=actor,
                old=old,
                new=status,
            )
    return booking


def cancel_booking(booking: SessionBooking, *, actor) -> SessionBooking:
    """Cancel a booking; a freed place goes to the first person waiting."""
    with transaction.atomic():
        session = lock_row(Session, booking.session_id)
        booking.refresh_from_db()
        old = booking.status
        if old == SessionBooking.Status.CANCELLED:
            return booking
        booking.status = SessionBooking.Status.CANCELLED
        with lists_kept(Session.objects.filter(pk=session.pk), [booking.participant_id]):
            booking.save(update_fields=["status"])
        audit.status_changed(
            booking,
            actor=actor,
            old=old,
            new=SessionBooking.Status.CANCELLED,
        )
        if old == SessionBooking.Status.BOOKED:
            taken = SessionBooking.objects.filter(
                session=session, status=SessionBooking.Status.BOOKED
            ).count()
            if _free_places(session.capacity, taken):
                following = (
                    SessionBooking.objects.filter(
                        session=session, status=SessionBooking.Status.WAITING
                    )
                    .order_by("created_at", "pk")
                    .first()
                )
                if following is not None:
                    following.status = SessionBooking.Status.BOOKED
                    with lists_kept(
                        Session.objects.filter(pk=session.pk), [following.participant_id]
                    ):
                        following.save(update_fields=["status"])
                    audit.status_changed(
                        following,
                        actor=actor,
                        old=SessionBooking.Status.WAITING,
                        new=SessionBooking.Status.BOOKED,
                        note=gettext_lazy("a place became free"),
                    )
    return booking
