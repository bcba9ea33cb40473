"""Writes of the delivery domain: sessions, enrolments, bookings, attendance, signed lists.

Every service takes its main object first, then keyword-only arguments including `actor`; runs
in a transaction; audits what it changes; raises ValidationError with a code.

Capacity is enforced under a lock on the row that holds it (the Group or the Session):
`select_for_update()` on PostgreSQL. SQLite ignores FOR UPDATE, but it lets one writer at a time
hold the database; `_lock` makes the transaction a writer *first* (an update that changes
nothing) so concurrent enrolments queue instead of counting the same free places.
"""

import datetime
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection, models, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lider.core import audit
from lider.core.permissions import Role
from lider.delivery import aggregates, scans
from lider.delivery.models import (
    Attendance,
    CalendarToken,
    Enrolment,
    Group,
    Session,
    SessionBooking,
    Venue,
)
from lider.people import paths
from lider.people.restrictions import refuse_if_restricted
from lider.projects.models import Membership

NOT_YOUR_SESSION = gettext_lazy("You can mark attendance only at the sessions you lead.")
SIGNED_LIST_MAX_BYTES = scans.MAX_BYTES
# File types accepted for a signed list, recognised by their first bytes.
SIGNATURES = {
    b"%PDF-": ("pdf", "application/pdf"),
    b"\x89PNG\r\n\x1a\n": ("png", "image/png"),
    b"\xff\xd8\xff": ("jpg", "image/jpeg"),
}


def _lock(model, pk):
    """Lock one row for the rest of the transaction and return it fresh.

    Call it first in the transaction: on SQLite a transaction that has read cannot wait for
    the write lock ("database is locked" at once), one that starts by writing can."""
    if connection.vendor == "sqlite":
        model._default_manager.filter(pk=pk).update(id=models.F("id"))
    return model._default_manager.select_for_update().get(pk=pk)


def file_type(head: bytes) -> tuple[str, str] | None:
    """(extension, content type) of a PDF, PNG or JPEG file by its magic bytes, else None."""
    for magic, kind in SIGNATURES.items():
        if head.startswith(magic):
            return kind
    return None


# Venues and groups


def create_venue(project, *, actor, **fields) -> Venue:
    with transaction.atomic():
        venue = Venue.objects.create(project=project, **fields)
        audit.created(venue, actor=actor)
    return venue


def create_group(task, *, actor, **fields) -> Group:
    with transaction.atomic():
        group = Group.objects.create(task=task, **fields)
        audit.created(group, actor=actor)
    return group


# Sessions


def _check_trainers(task, trainers, *, keep=()) -> None:
    """Each trainer must hold the trainer (or advisor) role in the task's project; those in
    ``keep`` (who already lead the session) may stay after their role has ended."""
    allowed = set(
        Membership.objects.filter(project_id=task.project_id, role=Role.TRAINER).values_list(
            "user_id", flat=True
        )
    )
    kept = {user.pk for user in keep}
    if any(user.pk not in allowed and user.pk not in kept for user in trainers):
        raise ValidationError(
            _("A trainer must hold the trainer role in the project."), code="trainer"
        )


def _check_session(session: Session) -> None:
    if session.end_time <= session.start_time:
        raise ValidationError(_("A session must end after it starts."), code="times")
    if session.group_id and session.group.task_id != session.task_id:
        raise ValidationError(_("The group belongs to another task."), code="group")
    if session.venue.project_id != session.task.project_id:
        raise ValidationError(_("The venue belongs to another project."), code="venue")


def _name(user) -> str:
    return user.get_full_name() or user.username


def overlaps(session: Session, trainers) -> list[str]:
    """What ``session`` (saved or not) would clash with, in words naming each clash: a session
    at the same time of the same group, at the same venue, or led by one of ``trainers``
    (another project's session is not named, only its time)."""
    from lider.delivery.queries import overlapping

    wanted = {t.pk for t in trainers}
    problems = []
    for other in overlapping(session, trainers):
        when = {
            "date": formats.date_format(other.date, "j.m.Y"),
            "start": formats.time_format(other.start_time, "H:i"),
            "end": formats.time_format(other.end_time, "H:i"),
        }
        shared = ", ".join(_name(t) for t in other.trainers.all() if t.pk in wanted)
        if other.task.project_id != session.task.project_id:
            problems.append(
                _(
                    "%(names)s leads a session of another project at that time "
                    "(%(date)s, %(start)s–%(end)s)."
                )
                % {"names": shared, **when}
            )
            continue
        reasons = []
        if session.group_id and other.group_id == session.group_id:
            reasons.append(_("the same group (%(name)s)") % {"name": other.group.name})
        if other.venue_id == session.venue_id:
            reasons.append(_("the same venue (%(name)s)") % {"name": other.venue.name})
        if shared:
            reasons.append(_("the same trainer (%(names)s)") % {"names": shared})
        problems.append(
            _("It overlaps “%(title)s” (%(date)s, %(start)s–%(end)s): %(reasons)s.")
            % {"title": other.title, "reasons": ", ".join(reasons), **when}
        )
    return problems


def _refuse_overlaps(problems: list[str], *, allow_overlap: bool) -> str:
    """Refuse clashes unless the coordinator confirmed them; the note for the audit entry."""
    if not problems:
        return ""
    if not allow_overlap:
        raise ValidationError([ValidationError(p, code="overlap") for p in problems])
    return _("Saved despite an overlap: %(clashes)s") % {"clashes": " ".join(problems)}


def is_overlap(error: ValidationError) -> bool:
    """Whether a service refused a session only because it overlaps others."""
    return all(getattr(e, "code", None) == "overlap" for e in error.error_list)


def create_session(task, *, actor, trainers=(), allow_overlap=False, **fields) -> Session:
    """One session of the task; `fields` are Session fields (date, start_time, venue, …).
    A session at the same time as another of the same group, venue or trainer is refused
    (ValidationError, code "overlap") unless ``allow_overlap``; then the audit entry says so."""
    with transaction.atomic():
        session = Session(task=task, **fields)
        _check_session(session)
        _check_trainers(task, trainers)
        note = _refuse_overlaps(overlaps(session, trainers), allow_overlap=allow_overlap)
        session.save()
        session.trainers.set(trainers)
        audit.created(session, actor=actor, note=note)
    return session


def create_session_series(
    task,
    *,
    actor,
    first_date: datetime.date,
    count: int,
    every_days: int = 7,
    trainers=(),
    allow_overlap=False,
    **fields,
) -> list[Session]:
    """`count` sessions alike, the first on `first_date`, then every `every_days` days
    (a training day every Saturday for 10 weeks: count=10, every_days=7)."""
    if not 1 <= count <= 100:
        raise ValidationError(_("A series has from 1 to 100 sessions."), code="count")
    if every_days < 1:
        raise ValidationError(_("Sessions of a series are at least a day apart."), code="interval")
    if every_days * (count - 1) > (datetime.date.max - first_date).days:
        raise ValidationError(
            _("The series would end after the last date there is."), code="too_late"
        )
    dates = [first_date + datetime.timedelta(days=every_days * n) for n in range(count)]
    if not allow_overlap:
        problems = []
        for date in dates:
            candidate = Session(task=task, date=date, **fields)
            _check_session(candidate)
            problems += overlaps(candidate, trainers)
        _refuse_overlaps(problems, allow_overlap=False)  # every clash of the series at once
    with transaction.atomic():
        sessions = [
            create_session(
                task,
                actor=actor,
                trainers=trainers,
                allow_overlap=allow_overlap,
                date=date,
                **fields,
            )
            for date in dates
        ]
    return sessions


def update_session(
    session: Session, *, actor, trainers=None, allow_overlap=False, **fields
) -> Session:
    """Change a session's fields and trainers; overlaps are refused as in ``create_session``."""
    with transaction.atomic():
        old_task_id = session.task_id
        for name, value in fields.items():
            setattr(session, name, value)
        _check_session(session)
        if trainers is not None:
            _check_trainers(session.task, trainers, keep=session.trainers.all())
        leading = list(trainers if trainers is not None else session.trainers.all())
        note = _refuse_overlaps(overlaps(session, leading), allow_overlap=allow_overlap)
        with audit.tracking(session, actor=actor, note=note):
            session.save(update_fields=list(fields))
            if trainers is not None:
                session.trainers.set(trainers)
        if {"start_time", "end_time", "task"} & set(fields):
            # Minutes attended change with the session's length or task.
            aggregates.refresh(
                participant_ids=session.attendance.values_list("participant_id", flat=True),
                task_ids=[old_task_id, session.task_id],
            )
    return session


# Enrolment into a task (its group per county)


def _free_places(capacity, taken: int) -> bool:
    return capacity is None or taken < capacity


def enrol(task, *, participant, group=None, actor, at=None) -> Enrolment:
    """Enrol a participant in the task's group: qualified while places last, else waiting."""
    if participant.project_id != task.project_id:
        raise ValidationError(_("The participant takes part in another project."), code="project")
    refuse_if_restricted(participant.person_id)
    if group is not None and group.task_id != task.pk:
        raise ValidationError(_("The group belongs to another task."), code="group")
    with transaction.atomic():
        if group is not None:
            group = _lock(Group, group.pk)
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
            _lock(Group, enrolment.group_id)
        else:
            _lock(Enrolment, enrolment.pk)
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
        group = _lock(Group, group.pk)
        taken = Enrolment.objects.filter(group=group, status__in=Enrolment.TAKES_PLACE).count()
        free = None if group.capacity is None else max(group.capacity - taken, 0)
        waiting = Enrolment.objects.filter(group=group, status=Enrolment.Status.WAITING).order_by(
            "enrolled_at", "pk"
        )
        for enrolment in waiting if free is None else waiting[:free]:
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


# Booking a place in one session (meetings, forums, conferences)


def book_session(session: Session, *, participant, actor, at=None) -> SessionBooking:
    """Book a place: booked while places last, else on the waiting list."""
    if participant.project_id != session.task.project_id:
        raise ValidationError(_("The participant takes part in another project."), code="project")
    with transaction.atomic():
        session = _lock(Session, session.pk)
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
        if booking is None:
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
        session = _lock(Session, booking.session_id)
        booking.refresh_from_db()
        old = booking.status
        if old == SessionBooking.Status.CANCELLED:
            return booking
        booking.status = SessionBooking.Status.CANCELLED
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
                    following.save(update_fields=["status"])
                    audit.status_changed(
                        following,
                        actor=actor,
                        old=SessionBooking.Status.WAITING,
                        new=SessionBooking.Status.BOOKED,
                        note=gettext_lazy("a place became free"),
                    )
    return booking


# Attendance


def check_may_mark(session: Session, *, actor) -> None:
    """Refuse (PermissionDenied) an actor who may not mark attendance at this session: a
    trainer marks only at the sessions they lead. No actor is the system (a command, a data
    load), which may."""
    from lider.delivery.queries import may_mark_attendance

    if actor is not None and not may_mark_attendance(session, actor):
        raise PermissionDenied(str(NOT_YOUR_SESSION))


def mark_attendance(session: Session, *, participant, status, actor) -> Attendance:
    """Set (not toggle) one participant's attendance; repeating the same mark changes nothing.
    A trainer may mark only at the sessions they lead (see ``check_may_mark``)."""
    check_may_mark(session, actor=actor)
    return _set_mark(session, participant=participant, status=status, actor=actor)


def _set_mark(session: Session, *, participant, status, actor) -> Attendance:
    from lider.delivery.queries import roster

    if status not in Attendance.Status.values:
        raise ValidationError(_("Unknown attendance status."), code="status")
    if not roster(session).filter(pk=participant.pk).exists():
        raise ValidationError(
            _("The participant is not on the list of this session."), code="not_on_list"
        )
    with transaction.atomic():
        # Marks of one session queue on its row (a phone may send several taps at once).
        _lock(Session, session.pk)
        attendance = Attendance.objects.filter(session=session, participant=participant).first()
        if attendance is None:
            attendance = Attendance.objects.create(
                session=session,
                participant=participant,
                status=status,
                marked_by=actor,
                marked_at=timezone.now(),
            )
            audit.created(attendance, actor=actor)
        elif attendance.status != status:
            old = attendance.status
            attendance.status, attendance.marked_by = status, actor
            attendance.marked_at = timezone.now()
            attendance.save(update_fields=["status", "marked_by", "marked_at"])
            audit.status_changed(
                attendance,
                actor=actor,
                old=old,
                new=status,
            )
        aggregates.refresh(participant_ids=[participant.pk], task_ids=[session.task_id])
        # The first attended session of a participation task starts the participant's path.
        paths.refresh(session.task.project, actor=actor, participant_ids=[participant.pk])
    return attendance


def mark_all_present(session: Session, *, actor) -> int:
    """Mark everyone on the list who has no mark yet as present; returns how many."""
    from lider.delivery.queries import roster

    check_may_mark(session, actor=actor)
    with transaction.atomic():
        _lock(Session, session.pk)
        unmarked = list(roster(session).exclude(attendance__session=session))
        for participant in unmarked:
            _set_mark(
                session, participant=participant, status=Attendance.Status.PRESENT, actor=actor
            )
    return len(unmarked)


# Evidence: the signed paper list


def upload_signed_list(session: Session, *, upload, actor) -> Session:
    """Keep the scan of the signed list: a PDF, PNG or JPEG whose whole structure is checked
    (``lider.delivery.scans``: no polyglots, no active content), at most 10 MB."""
    kind = scans.check_signed_list(upload)
    now = timezone.now()
    name = f"session-{session.pk}-{now:%Y%m%d%H%M%S}.{kind[0]}"
    with audit.tracking(session, actor=actor, note=gettext_lazy("signed attendance list uploaded")):
        session.signed_list.save(name, ContentFile(upload.read()), save=False)
        session.signed_list_uploaded_at = now
        session.signed_list_uploaded_by = actor
        session.save(
            update_fields=["signed_list", "signed_list_uploaded_at", "signed_list_uploaded_by"]
        )
    return session


# Private calendar feeds


def regenerate_calendar_token(user, *, actor) -> CalendarToken:
    """A new secret address for the user's feed; the old address stops working at once."""
    with transaction.atomic():
        token, created = CalendarToken.objects.get_or_create(user=user)
        if not created:
            token.token = secrets.token_urlsafe()
            token.created_at = timezone.now()
            token.save(update_fields=["token", "created_at"])
        audit.record(
            actor,
            audit.Action.UPDATE if not created else audit.Action.CREATE,
            token,
            note=gettext_lazy("calendar feed address regenerated") if not created else "",
        )
    return token
