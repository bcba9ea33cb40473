"""Indicator values of many projects at once: one grouped query per kind of measure.

The dashboard computes each indicator with `measures.compute` (a query or two per indicator);
over hundreds of projects that is a loop of thousands of queries. Here the indicators of every
project in the roll-up are grouped by measure, and each measure's records are counted once for
all of them, grouped by project (and by the parameter the indicators take: a task, a kind of
task). The selections are those of `lider.reporting.measures`, written for a set of projects;
`tests/reporting/test_rollup.py` checks every value against `measures.compute`.

A measure with no entry in `GROUPED` (a new one) falls back to `measures.compute` per
indicator, so a figure is never missing, only slower until it gets one.
"""

from collections import defaultdict
from decimal import Decimal

from django.apps import apps
from django.db.models import Case, Count, F, Q, Sum, When

from lider.people.models import Participant
from lider.projects.hours import hours as project_hours
from lider.reporting import measures
from lider.reporting import totals as stored
from lider.reporting.measures import ATTENDED, TOOK_PART, Period


def _counts(queryset, keys: tuple[str, ...]) -> dict[tuple, Decimal]:
    rows = queryset.values_list(*keys).annotate(n=Count("pk", distinct=True)).order_by()
    return {tuple(row[:-1]): Decimal(row[-1]) for row in rows}


def _participants(projects, period: Period, date_path: str, **conditions):
    return Participant.objects.filter(
        Q(project_id__in=projects, person__isnull=False, **conditions) & period.lookup(date_path)
    )


def _started(projects, indicators, period):
    return _counts(_participants(projects, period, "start_date"), ("project_id",)), _no_param


def _ended(projects, indicators, period):
    queryset = _participants(projects, period, "end_date", end_date__isnull=False)
    return _counts(queryset, ("project_id",)), _no_param


def _in_task(projects, indicators, period):
    queryset = _participants(
        projects,
        period,
        "start_date",
        enrolments__task_id__in=_params(indicators, "task"),
        enrolments__status__in=TOOK_PART,
    )
    return _counts(queryset, ("project_id", "enrolments__task_id")), _task_param


def _certified(projects, indicators, period):
    # One filter() call: the task, status and date conditions apply to the same certificate.
    queryset = Participant.objects.filter(
        Q(
            project_id__in=projects,
            person__isnull=False,
            certificates__task_id__in=_params(indicators, "task"),
            certificates__status="issued",
        )
        & period.lookup("certificates__issued_on")
    )
    return _counts(queryset, ("project_id", "certificates__task_id")), _task_param


def _share_certified(projects, indicators, period):
    certified, _key = _certified(projects, indicators, period)
    enrolled, _key = _in_task(projects, indicators, period)
    shares = {key: measures.percent(certified.get(key, 0), n) for key, n in enrolled.items()}
    return shares, _task_param


def _sessions_of_kind(projects, indicators, period):
    session = apps.get_model("delivery", "Session")
    # The county of a session as the measure reads it: its group's, or its venue's when it
    # belongs to no group (`measures.definitions._sessions_of_kind`).
    county = Case(
        When(group__isnull=False, then=F("group__county__code")),
        default=F("venue__gmina__parent__code"),
    )
    queryset = session.objects.filter(
        Q(task__project_id__in=projects, task__kind__in=_params(indicators, "task_kind"))
        & period.lookup("date")
    ).annotate(_county=county)
    counts = _counts(queryset, ("task__project_id", "task__kind", "_county"))
    by_kind: dict[tuple, Decimal] = defaultdict(Decimal)
    for (project_id, kind, code), n in counts.items():
        by_kind[(project_id, kind, None)] += n
        if code:
            by_kind[(project_id, kind, code)] += n

    def key(indicator):
        params = indicator.params
        return (indicator.goal.project_id, params.get("task_kind"), params.get("county") or None)

    return by_kind, key


def _sessions_of_task(projects, indicators, period):
    session = apps.get_model("delivery", "Session")
    queryset = session.objects.filter(
        Q(task__project_id__in=projects, task_id__in=_params(indicators, "task"))
        & period.lookup("date")
    )
    return _counts(queryset, ("task__project_id", "task_id")), _task_param


def _entities(projects, indicators, period):
    entity = apps.get_model("outcomes", "FoundedEntity")
    q = Q(project_id__in=projects) & period.lookup("registration_date")
    if period.start is None and period.end is not None:
        q |= Q(project_id__in=projects, registration_date__isnull=True)
    return _counts(entity.objects.filter(q), ("project_id",)), _no_param


def _attendance_hours(projects, indicators, period):
    """Minutes attended summed per project and per (project, task), in each project's unit of
    hours. Cumulatively they are read from the pre-aggregated `AttendanceTotal` (one row per
    participant and task, kept current with the marks); for a period, from the marks, counted
    per session and weighed by its length (as `measures.computing._grouped`)."""
    # Each project counts in its own unit of hours (teaching or clock hours, as its dashboard);
    # only the projects with such an indicator are read.
    units = {i.goal.project_id: i.goal.project.hours_unit for i in indicators}
    minutes: dict[tuple, int] = defaultdict(int)
    for project_id, task_id, n in _attended_minutes(list(units), period):
        minutes[(project_id, None)] += n
        minutes[(project_id, task_id)] += n
    hours = {key: project_hours(m, units[key[0]]) for key, m in minutes.items()}

    def key(indicator):
        return (indicator.goal.project_id, indicator.params.get("task") or None)

    return hours, key


def _attended_minutes(project_ids, period):
    """(project, task, minutes attended) rows."""
    if period.start is None and period.end is None:
        total = apps.get_model("delivery", "AttendanceTotal")
        return (
            total.objects.filter(participant__project_id__in=project_ids)
            .values_list("participant__project_id", "task_id")
            .annotate(n=Sum("minutes_attended"))
            .order_by()
        )
    attendance = apps.get_model("delivery", "Attendance")
    rows = (
        attendance.objects.filter(
            Q(participant__project_id__in=project_ids, status__in=ATTENDED)
            & period.lookup("session__date")
        )
        .values_list(
            "participant__project_id",
            "session__task_id",
            "session__start_time",
            "session__end_time",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        (project_id, task_id, n * ((end.hour - start.hour) * 60 + end.minute - start.minute))
        for project_id, task_id, start, end, n in rows
    ]


def _no_param(indicator):
    return (indicator.goal.project_id,)


def _task_param(indicator):
    return (indicator.goal.project_id, indicator.params.get("task"))


def _params(indicators, name: str) -> set:
    return {i.params.get(name) for i in indicators if i.params.get(name) is not None}


# measure key → function(project ids, that measure's indicators, period) giving
# ({key: value}, key of an indicator).
GROUPED = {
    "participants_started": _started,
    "participants_ended": _ended,
    "participants_in_task": _in_task,
    "participants_with_valid_certificate": _certified,
    "share_certified": _share_certified,
    "sessions_of_kind": _sessions_of_kind,
    "sessions_of_task": _sessions_of_task,
    "entities_founded": _entities,
    "attendance_hours": _attendance_hours,
}


def indicator_totals(indicators, project_ids, period: Period, *, held=None) -> dict[int, Decimal]:
    """indicator id → its value (the total of `measures.compute`) in `period`: read from the
    pre-aggregated totals of the projects where they are current (one query for all), counted
    from the records by measure for the others."""
    available = {m.key for m in measures.available()}
    usable = [i for i in indicators if i.measure in available]
    held = stored.current(project_ids) if held is None else held

    def is_held(indicator) -> bool:
        names = held.get(indicator.goal.project_id)
        return names is not None and all(
            stored.series(part.key, indicator.params) in names
            for part in measures.parts(indicator.get_measure())
        )

    read = [i for i in usable if is_held(i)]
    totals = _stored_totals(read, period)
    counted = [i for i in usable if not is_held(i)]
    live_projects = {i.goal.project_id for i in counted}
    totals.update(
        _counted_totals(counted, [pk for pk in project_ids if pk in live_projects], period)
    )
    return totals


def _stored_totals(indicators, period: Period) -> dict[int, Decimal]:
    if not indicators:
        return {}
    pairs = {
        (part, stored.series(part.key, i.params)): i.params
        for i in indicators
        for part in measures.parts(i.get_measure())
    }
    amounts = stored.totals_of(
        {i.goal.project_id for i in indicators},
        [(part, params) for (part, _name), params in pairs.items()],
        period,
    )
    totals = {}
    for indicator in indicators:
        project = indicator.goal.project

        def amount(part, indicator=indicator, project=project):
            n = amounts.get((project.pk, stored.series(part.key, indicator.params)), Decimal(0))
            return project_hours(int(n), project.hours_unit) if part.hours_of else n

        values = [amount(part) for part in measures.parts(indicator.get_measure())]
        totals[indicator.pk] = measures.percent(*values) if len(values) == 2 else values[0]
    return totals


def _counted_totals(indicators, project_ids, period: Period) -> dict[int, Decimal]:
    by_measure = defaultdict(list)
    for indicator in indicators:
        by_measure[indicator.measure].append(indicator)
    totals = {}
    for key, group in by_measure.items():
        grouped = GROUPED.get(key)
        if grouped is None:
            for indicator in group:
                figure = measures.compute(
                    measures.get(key), indicator.goal.project, indicator.params, period
                )
                totals[indicator.pk] = figure.total
            continue
        values, key_of = grouped(project_ids, group, period)
        for indicator in group:
            totals[indicator.pk] = values.get(key_of(indicator), Decimal(0))
    return totals
