"""What a measure is (`Measure`, its parameters, a period, a figure), the registry of them,
and every measure Lider knows: which records each counts and where their sex and county are."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from lider.projects.models import Task

# Enrolment statuses that mean a person took part in the task (not only waiting for a place).
TOOK_PART = ("qualified", "participating", "completed", "dropped")
ATTENDED = ("present", "late")


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # "task", "task_kind" or "county"
    label: str
    required: bool = True


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end`` inclusive; ``None`` on a side leaves it open (cumulative)."""

    start: datetime.date | None = None
    end: datetime.date | None = None

    def lookup(self, path: str) -> Q:
        q = Q()
        if self.start is not None:
            q &= Q(**{f"{path}__gte": self.start})
        if self.end is not None:
            q &= Q(**{f"{path}__lte": self.end})
        return q


CUMULATIVE = Period()


@dataclass
class Figure:
    """One computed value: the total, the women/men split (None where records have no sex) and
    the split by county TERC code."""

    total: Decimal
    women: Decimal | None
    men: Decimal | None
    by_county: dict[str, Decimal] = field(default_factory=dict)

    @property
    def split_adds_up(self) -> bool:
        return self.women is None or self.women + self.men == self.total


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    model: str  # app_label.Model of the records
    select: Callable  # (project, params, period) -> Q or queryset filter on the model
    params: tuple[Param, ...] = ()
    sex: str | None = None  # path to the sex of a record
    county: tuple[str, ...] = ()  # paths to the county code, first non-null wins
    hours_of: str | None = None  # path prefix of a session: sum its hours instead of counting
    share_of: str | None = None  # key of the measure that is the denominator
    unit: str = ""
    requires: str | None = None  # an app label the measure needs
    # The path of a record's date that a period filters (one date per record): the
    # pre-aggregated totals (lider.reporting.totals) are kept per day of it. None: not kept.
    date: str | None = None
    # Records without a date count in a figure "up to a day" too (entities not yet registered).
    undated_until: bool = False

    def model_class(self):
        return apps.get_model(self.model)

    def records(self, project, params: dict, period: Period = CUMULATIVE) -> models.QuerySet:
        """Exactly the records behind the figure (for a share: the numerator's records)."""
        return self.model_class().objects.filter(self.select(project, params, period)).distinct()

    def county_expression(self):
        if not self.county:
            return Value("")
        if len(self.county) == 1:
            return Coalesce(self.county[0], Value(""))
        return Coalesce(*self.county, Value(""))

    def filter_records(self, queryset, *, sex: str | None = None, county: str | None = None):
        if sex and self.sex:
            queryset = queryset.filter(**{self.sex: sex})
        if county is not None and self.county:
            queryset = queryset.alias(_county=self.county_expression()).filter(_county=county)
        return queryset

    def validate(self, project, params: dict) -> dict:
        if not isinstance(params, dict):
            raise ValidationError(_("Parameters must be a JSON object."), code="params")
        names = {param.name for param in self.params}
        unknown = set(params) - names
        if unknown:
            raise ValidationError(
                _("Unknown parameters: %(names)s.") % {"names": ", ".join(sorted(unknown))},
                code="params",
            )
        for param in self.params:
            value = params.get(param.name)
            if value in (None, ""):
                if param.required:
                    raise ValidationError(
                        _("The parameter “%(name)s” is required.") % {"name": param.label},
                        code="params",
                    )
                continue
            if param.kind == "task" and not _is_task_of(project, value):
                raise ValidationError(
                    _("The task %(value)s is not a task of this project.") % {"value": value},
                    code="params",
                )
            if param.kind == "task_kind" and value not in Task.Kind.values:
                raise ValidationError(
                    _("Unknown kind of task: %(value)s.") % {"value": value}, code="params"
                )
            if param.kind == "county" and not project.counties.filter(code=value).exists():
                raise ValidationError(
                    _("The county %(value)s is not a county of this project.") % {"value": value},
                    code="params",
                )
        return params


def _is_task_of(project, value) -> bool:
    """Whether ``value`` is the id of one of the project's tasks (an integer, not a string)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return False
    return Task.objects.filter(pk=value, project=project).exists()


REGISTRY: dict[str, Measure] = {}


def register(measure: Measure) -> Measure:
    REGISTRY[measure.key] = measure
    return measure


def get(key: str) -> Measure:
    try:
        return REGISTRY[key]
    except KeyError:
        raise LookupError(f"No measure {key!r}.") from None


def available() -> list[Measure]:
    return [m for m in REGISTRY.values() if m.requires is None or apps.is_installed(m.requires)]


def choices():
    return [(m.key, m.label) for m in REGISTRY.values()]


# The measures

PERSON_SEX = "person__sex"
PERSON_COUNTY = ("person__gmina__parent__code",)
TASK = Param("task", "task", _("task"))


def _participants_in_task(project, params, period):
    return Q(
        project=project,
        person__isnull=False,
        enrolments__task_id=params["task"],
        enrolments__status__in=TOOK_PART,
    ) & period.lookup("start_date")


def _certified(project, params, period):
    return Q(
        project=project,
        person__isnull=False,
        certificates__task_id=params["task"],
        certificates__status="issued",
    ) & period.lookup("certificates__issued_on")


def _started(project, params, period):
    return Q(project=project, person__isnull=False) & period.lookup("start_date")


def _ended(project, params, period):
    return Q(project=project, person__isnull=False, end_date__isnull=False) & period.lookup(
        "end_date"
    )


def _sessions_of_kind(project, params, period):
    q = Q(task__project=project, task__kind=params["task_kind"]) & period.lookup("date")
    if params.get("county"):
        q &= Q(group__county__code=params["county"]) | Q(
            group__isnull=True, venue__gmina__parent__code=params["county"]
        )
    return q


def _sessions_of_task(project, params, period):
    return Q(task__project=project, task_id=params["task"]) & period.lookup("date")


def _entities(project, params, period):
    """Entities registered in the period; cumulative figures (no start) also count entities
    whose registration date is not known yet (recorded, not yet checked in KRS)."""
    q = Q(project=project) & period.lookup("registration_date")
    if period.start is None and period.end is not None:
        q |= Q(project=project, registration_date__isnull=True)
    return q


def _attendance(project, params, period):
    # Through the participant (a participant belongs to one project): the planner can then
    # walk the (participant, status) index instead of every mark of every session.
    q = Q(participant__project=project, status__in=ATTENDED) & period.lookup("session__date")
    if params.get("task"):
        q &= Q(session__task_id=params["task"])
    return q


SESSION_COUNTY = ("group__county__code", "venue__gmina__parent__code")

register(
    Measure(
        "participants_in_task",
        _("participants of a task"),
        "people.Participant",
        _participants_in_task,
        params=(TASK,),
        sex=PERSON_SEX,
        county=PERSON_COUNTY,
        requires="lider.delivery",
        date="start_date",
    )
)
register(
    Measure(
        "participants_with_valid_certificate",
        _("participants with a valid certificate of a task"),
        "people.Participant",
        _certified,
        params=(TASK,),
        sex=PERSON_SEX,
        county=PERSON_COUNTY,
        requires="lider.certification",
        date="certificates__issued_on",
    )
)
register(
    Measure(
        "share_certified",
        _("share of a task's participants with a valid certificate (%)"),
        "people.Participant",
        _certified,
        params=(TASK,),
        sex=PERSON_SEX,
        county=PERSON_COUNTY,
        share_of="participants_with_valid_certificate:participants_in_task",
        requires="lider.certification",
    )
)
register(
    Measure(
        "participants_started",
        _("participants who started"),
        "people.Participant",
        _started,
        sex=PERSON_SEX,
        county=PERSON_COUNTY,
        date="start_date",
    )
)
register(
    Measure(
        "participants_ended",
        _("participants who ended their participation"),
        "people.Participant",
        _ended,
        sex=PERSON_SEX,
        county=PERSON_COUNTY,
        date="end_date",
    )
)
register(
    Measure(
        "sessions_of_kind",
        _("sessions of a kind of task"),
        "delivery.Session",
        _sessions_of_kind,
        params=(
            Param("task_kind", "task_kind", _("kind of task")),
            Param("county", "county", _("county"), required=False),
        ),
        county=SESSION_COUNTY,
        requires="lider.delivery",
        date="date",
    )
)
register(
    Measure(
        "sessions_of_task",
        _("sessions of a task"),
        "delivery.Session",
        _sessions_of_task,
        params=(TASK,),
        county=SESSION_COUNTY,
        requires="lider.delivery",
        date="date",
    )
)
register(
    Measure(
        "entities_founded",
        _("social-economy entities founded"),
        "outcomes.FoundedEntity",
        _entities,
        county=("seat__parent__code",),
        requires="lider.outcomes",
        date="registration_date",
        undated_until=True,
    )
)
register(
    Measure(
        "attendance_hours",
        _("hours of attendance"),
        "delivery.Attendance",
        _attendance,
        params=(Param("task", "task", _("task"), required=False),),
        sex="participant__person__sex",
        county=("participant__person__gmina__parent__code",),
        hours_of="session__",
        requires="lider.delivery",
        date="session__date",
    )
)
