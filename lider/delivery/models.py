"""Sessions of a project's tasks, who is enrolled in them, and who attended."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models.functions import ExtractHour, ExtractMinute
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lider.core import collation
from lider.projects import hours


class Venue(models.Model):
    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="venues")
    name = models.CharField(_("name"), max_length=200, db_collation=collation.NAME)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=6, blank=True)
    city = models.CharField(_("city"), max_length=100, db_collation=collation.NAME)
    gmina = models.ForeignKey(
        "territory.Unit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("gmina"),
        limit_choices_to={"level": "gmina"},
    )

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["city", "name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.city}"

    @property
    def address(self) -> str:
        return ", ".join(
            part for part in (self.street, f"{self.postal_code} {self.city}".strip()) if part
        )


class Group(models.Model):
    """A group of a task held in one county (e.g. the training cycle's group in Myszków)."""

    task = models.ForeignKey(
        "projects.Task", on_delete=models.CASCADE, related_name="groups", verbose_name=_("task")
    )
    name = models.CharField(_("name"), max_length=200)
    county = models.ForeignKey(
        "territory.Unit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("county"),
        limit_choices_to={"level": "county"},
    )
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["task", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def audit_project_id(self) -> int:
        return self.task.project_id


class Minutes(models.Func):
    """Whole minutes from a start time to an end time, in each database's own arithmetic
    (SQLite's built-in strftime, not the Python functions behind Extract on SQLite)."""

    arity = 2
    output_field = models.IntegerField()

    def as_sql(self, compiler, connection, **extra):
        start, start_params = compiler.compile(self.source_expressions[0])
        end, end_params = compiler.compile(self.source_expressions[1])
        if connection.vendor == "sqlite":
            sql = f"((strftime('%%s', {end}) - strftime('%%s', {start})) / 60)"
        elif connection.vendor == "postgresql":
            sql = f"(EXTRACT(EPOCH FROM ({end} - {start}))::integer / 60)"
        else:
            expression = (
                (ExtractHour(self.source_expressions[1]) - ExtractHour(self.source_expressions[0]))
                * 60
                + ExtractMinute(self.source_expressions[1])
                - ExtractMinute(self.source_expressions[0])
            )
            return compiler.compile(expression)
        return sql, (*end_params, *start_params)


def minutes_of(prefix: str = "") -> models.Expression:
    """The length of a session in minutes, computed in the database from its start and end."""
    return Minutes(models.F(f"{prefix}start_time"), models.F(f"{prefix}end_time"))


class SessionQuerySet(models.QuerySet):
    def in_county(self, county):
        """Sessions of a group in the county, or of no group at a venue in the county."""
        return self.filter(
            models.Q(group__county=county)
            | models.Q(group__isnull=True, venue__gmina__parent=county)
        )

    def public(self):
        return self.filter(is_public=True)

    def for_listing(self):
        return self.select_related(
            "task", "group__county", "venue__gmina__parent"
        ).prefetch_related("trainers")


class Session(models.Model):
    """One meeting, training day, advisory meeting, forum or conference."""

    task = models.ForeignKey(
        "projects.Task", on_delete=models.CASCADE, related_name="sessions", verbose_name=_("task")
    )
    group = models.ForeignKey(
        Group,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("group"),
    )
    title = models.CharField(_("topic"), max_length=300)
    agenda = models.TextField(_("agenda"), blank=True)
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"))
    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("venue")
    )
    trainers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="delivered_sessions",
        verbose_name=_("trainers or advisors"),
    )
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Shown in the public calendar and feed.")
    )
    signed_list = models.FileField(
        _("signed attendance list"), upload_to="signed-lists/%Y/", blank=True
    )
    signed_list_uploaded_at = models.DateTimeField(null=True, blank=True)
    signed_list_uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["date", "start_time", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")),
                name="session_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["task", "date"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d.%m.%Y})"

    @property
    def audit_project_id(self) -> int:
        return self.task.project_id

    @property
    def county(self):
        return self.group.county if self.group_id else self.venue.gmina.parent

    @property
    def clock_minutes(self) -> int:
        start = self.start_time.hour * 60 + self.start_time.minute
        end = self.end_time.hour * 60 + self.end_time.minute
        return end - start

    @property
    def clock_hours(self) -> Decimal:
        return (Decimal(self.clock_minutes) / 60).quantize(Decimal("0.01"))

    def hours_in(self, unit: str) -> Decimal:
        """The session's length in an hours unit (lider.projects.hours)."""
        return hours.hours(self.clock_minutes, unit)


class Enrolment(models.Model):
    """A participant's place in a task (and its group), with a declared status."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("on the waiting list")
        QUALIFIED = "qualified", _("qualified")
        PARTICIPATING = "participating", _("participating")
        COMPLETED = "completed", _("completed")
        DROPPED = "dropped", _("dropped out")

    # Statuses that hold a place against the capacity.
    TAKES_PLACE = frozenset({Status.QUALIFIED, Status.PARTICIPATING, Status.COMPLETED})
    TRANSITIONS = {
        Status.WAITING: {Status.QUALIFIED, Status.DROPPED},
        Status.QUALIFIED: {Status.PARTICIPATING, Status.DROPPED},
        Status.PARTICIPATING: {Status.COMPLETED, Status.DROPPED},
        Status.COMPLETED: set(),
        Status.DROPPED: set(),
    }

    task = models.ForeignKey("projects.Task", on_delete=models.CASCADE, related_name="enrolments")
    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, null=True, blank=True, related_name="enrolments"
    )
    participant = models.ForeignKey(
        "people.Participant", on_delete=models.PROTECT, related_name="enrolments"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    enrolled_at = models.DateTimeField(_("enrolled at"), default=timezone.now)
    dropped_on = models.DateField(_("dropped out on"), null=True, blank=True)
    drop_reason = models.CharField(_("reason for dropping out"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["enrolled_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["task", "participant"], name="enrolment_once_per_task"),
            models.CheckConstraint(
                condition=~models.Q(status="dropped") | models.Q(dropped_on__isnull=False),
                name="enrolment_dropped_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["group", "status"]),
            # A task's enrolments counted (by status) from the index alone.
            models.Index(fields=["task", "status"], name="enrolment_by_task_status"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} – {self.task}"

    @property
    def audit_project_id(self) -> int:
        return self.task.project_id

    @staticmethod
    def on_session_list(date) -> models.Q:
        """The enrolments of a group that put their participant on the list of the group's
        session of ``date``: holding a place, or left the group only after that day. The one
        rule, also as :meth:`puts_on_list` for rows already read."""
        return models.Q(status__in=Enrolment.TAKES_PLACE) | models.Q(
            status=Enrolment.Status.DROPPED, dropped_on__gt=date
        )

    @staticmethod
    def puts_on_list(status, dropped_on, date) -> bool:
        return status in Enrolment.TAKES_PLACE or (
            status == Enrolment.Status.DROPPED and dropped_on is not None and dropped_on > date
        )

    @property
    def takes_place(self) -> bool:
        return self.status in self.TAKES_PLACE


class SessionBooking(models.Model):
    """A place in one session (meetings, forums, conferences): capacity per session."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("booked")
        WAITING = "waiting", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="bookings")
    participant = models.ForeignKey(
        "people.Participant", on_delete=models.PROTECT, related_name="bookings"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    created_at = models.DateTimeField(_("booked at"), default=timezone.now)

    class Meta:
        verbose_name = _("session booking")
        verbose_name_plural = _("session bookings")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="booking_once"),
        ]
        indexes = [models.Index(fields=["session", "status"])]

    def __str__(self) -> str:
        return f"{self.participant} – {self.session}"

    @property
    def audit_project_id(self) -> int:
        return self.session.task.project_id


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("present")
        LATE = "late", _("late")
        EXCUSED = "excused", _("excused")
        ABSENT = "absent", _("absent")

    # Statuses that count as attended hours.
    ATTENDED = frozenset({Status.PRESENT, Status.LATE})

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    participant = models.ForeignKey(
        "people.Participant", on_delete=models.PROTECT, related_name="attendance"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked by"),
    )
    marked_at = models.DateTimeField(_("marked at"), default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="attendance_once"),
        ]
        indexes = [
            models.Index(fields=["participant", "status"]),
            # A session's marks counted by status from the index alone.
            models.Index(fields=["session", "status"], name="attendance_by_session_status"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} – {self.session}: {self.get_status_display()}"

    @property
    def audit_project_id(self) -> int:
        return self.session.task.project_id


class CalendarToken(models.Model):
    """The unguessable token of a trainer's private iCal feed; regenerating revokes the old."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(max_length=64, unique=True, default=secrets.token_urlsafe)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")

    def __str__(self) -> str:
        return f"{self.user}"


class AttendanceTotal(models.Model):
    """What one participant attended in one task: minutes and sessions, summed from Attendance.

    A pre-aggregated copy, so that pages and certificates read one row per person instead of
    summing every mark again: kept current in the transaction of each mark and of each change of
    a session's times or task (``lider.delivery.aggregates``), rebuilt from the marks by
    ``lider rebuild_aggregates``. The sessions a participant was expected at are few per task
    (one figure per group) and are summed when read."""

    participant = models.ForeignKey(
        "people.Participant", on_delete=models.CASCADE, related_name="attendance_totals"
    )
    task = models.ForeignKey("projects.Task", on_delete=models.CASCADE, related_name="+")
    minutes_attended = models.PositiveIntegerField(default=0)
    sessions_attended = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "task"], name="attendance_total_once_per_task"
            ),
        ]
        indexes = [models.Index(fields=["task", "participant"])]

    def __str__(self) -> str:
        return f"{self.participant_id} – {self.task_id}: {self.minutes_attended} min"


class SessionTotal(models.Model):
    """How many participants are on a session's list (``lider.delivery.queries.on_list``), and
    how many places of it are taken (``lider.delivery.queries.places_taken``: the group's
    enrolments holding a place, or, for a session of no group, its bookings).

    A pre-aggregated copy, so that a session's page and the calendar do not count lists of
    thousands for each visit: made with the session, kept current in the transaction of each
    change of who is on the list or holds a place (an enrolment in the group, its status, a
    booking, the session's group or date; ``lider.delivery.aggregates.lists_kept``), rebuilt
    by ``lider rebuild_aggregates``. A mark never changes the list: only someone on it can be
    marked. No row (a bulk load) means both figures are counted when read."""

    session = models.OneToOneField(
        Session, on_delete=models.CASCADE, primary_key=True, related_name="total"
    )
    listed = models.PositiveIntegerField(default=0)
    taken = models.PositiveIntegerField(default=0, db_default=0)

    def __str__(self) -> str:
        return f"{self.session_id}: {self.listed}"
