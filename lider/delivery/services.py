"""Writes of the delivery domain: venues, groups, sessions, attendance, signed lists, feeds.

Enrolments and bookings (places within capacity) are `lider.delivery.places`. Every service
takes its main object first, then keyword-only arguments including `actor`; runs in a
transaction; audits what it changes; raises ValidationError with a code.
"""

import datetime
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lider.core import audit
from lider.core.permissions import Role
from lider.delivery import aggregates, scans
from lider.delivery.models import (
    Attendance,
    CalendarToken,
    Group,
    Session,
    Venue,
)
from lider.delivery.places import lock_row
from lider.people import paths
from lider.projects.models import Membership

NOT_YOUR_SESSION = gettext_lazy("You can mark attendance only at the sessions you lead.")
SIGNED_LIST_MAX_BYTES = scans.MAX_BYTES
# File types accepted for a signed list, recognised by their first bytes.
SIGNATURES = {
    b"%PDF-": ("pdf", "application/pdf"),
    b"\x89PNG\r\n\x1a\n": ("png", "image/png"),
    b"\xff\xd8\xff": ("jpg", "image/jpeg"),
}


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
        aggregates.count_list(session)
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
        if {"group", "group_id", "date", "task", "task_id"} & set(fields):
            aggregates.count_list(session)  # who is on the list follows the group and date
        if {"start_time", "end_time", "task"} & set(fields):
            # Minutes attended change with the session's length or task.
            aggregates.refresh(
                participant_ids=session.attendance.values_list("participant_id", flat=True),
                task_ids=[old_task_id, session.task_id],
            )
    return session


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
        lock_row(Session, session.pk)
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
        lock_row(Session, session.pk)
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
