"""The pre-aggregated measure totals (``MeasureTotal``): computed, stored, rebuilt and read.

Their only writer. A project's rows hold, for every series its pages show — each indicator's
measure with its parameters (a share's numerator and denominator), the public results' two
figures of the training cycle, and the attended marks of the dashboard's chart — the records
counted (minutes for hours) per day, county and sex, in one grouped query per series.

Kept current by the worker: a change marks the project stale when it commits
(``lider.reporting.freshness``) and queues ``rebuild``; until the rebuild has stored rows of
the latest change, ``current`` answers None and the pages compute from the records as
before, so a figure is never older than the records. ``lider rebuild_aggregates`` rebuilds
every project (after a bulk load past the services).
"""

import datetime
import json
from collections import defaultdict
from decimal import Decimal

from django.apps import apps
from django.db import transaction
from django.db.models import Count, F, JSONField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from lider.people.models import Answer, Participant
from lider.projects import hours
from lider.projects.models import Task
from lider.reporting import measures
from lider.reporting.measures import CUMULATIVE, Figure, Period
from lider.reporting.models import Indicator, MeasureTotal, TotalsState

BATCH = 5000
# Attended marks per day of the session, any task: the dashboard's attendance chart.
ATTENDED_MARKS = "attended_marks"
# The project's certificates by status (issued, revoked) per day of issue and county of the
# participant: the dashboard's counts and the roll-up's.
CERTIFICATES = "certificates"
# Participants (with a person) per day of start, county and sex, by labour-market status, and
# those with a disability: the roll-up's breakdowns.
PARTICIPANTS = "participants"
DISABLED = "participants_disabled"
SERIES_LENGTH = MeasureTotal._meta.get_field("series").max_length


def series(key: str, params: dict) -> str:
    """A measure and its parameters as one stable string."""
    return f"{key}:{json.dumps(params, sort_keys=True, separators=(',', ':'))}"


def keepable(measure: measures.Measure) -> bool:
    return all(part.date for part in measures.parts(measure))


def training_cycle(project):
    """The task the public results page reports on: the first training cycle, or None (with
    ``_held``: see ``held_subquery``)."""
    return (
        project.tasks.filter(kind=Task.Kind.TRAINING_CYCLE)
        .annotate(_held=held_subquery("project_id"))
        .order_by("order", "pk")
        .first()
    )


def public_series(task) -> list[tuple[str, dict]]:
    if task is None or not apps.is_installed("lider.certification"):
        return []
    params = {"task": task.pk}
    return [("participants_with_valid_certificate", params), ("participants_in_task", params)]


def wanted(project) -> dict[str, tuple[measures.Measure, dict]]:
    """series → (measure, params) of every series the project's pages read."""
    available = set(measures.available())
    found = {}
    pairs = [
        (part, indicator.params)
        for indicator in Indicator.objects.filter(goal__project=project)
        if indicator.measure in measures.REGISTRY
        and indicator.get_measure() in available
        and keepable(indicator.get_measure())
        for part in measures.parts(indicator.get_measure())
    ]
    pairs += [(measures.get(key), params) for key, params in public_series(training_cycle(project))]
    for measure, params in pairs:
        name = series(measure.key, params)
        if len(name) <= SERIES_LENGTH and isinstance(params, dict):
            found[name] = (measure, params)
    return found


# Computing from the records


def computed(project) -> dict[tuple, int]:
    """(series, day, county, sex) → amount, from the records; one grouped query per series."""
    rows: dict[tuple, int] = {}
    for name, (measure, params) in wanted(project).items():
        for (day, county, sex), amount in _by_day(measure, project, params).items():
            rows[(name, day, county, sex)] = amount
    if apps.is_installed("lider.delivery"):
        for day, n in _attended_marks(project):
            rows[(ATTENDED_MARKS, day, "", "")] = n
    if apps.is_installed("lider.certification"):
        certificate = apps.get_model("certification", "Certificate")
        counted = (
            certificate.objects.filter(project=project)
            .annotate(_county=Coalesce("participant__person__gmina__parent__code", Value("")))
            .values_list("status", "issued_on", "_county")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for status, day, county, n in counted:
            rows[(f"{CERTIFICATES}:{status}", day, county, "")] = n
    people = (
        Participant.objects.filter(project=project, person__isnull=False)
        .annotate(_county=Coalesce("person__gmina__parent__code", Value("")))
        .values_list("start_date", "_county", "person__sex", "person__labour_status")
        .annotate(n=Count("pk"), disabled=Count("pk", filter=Q(person__disability=Answer.YES)))
        .order_by()
    )
    for day, county, sex, status, n, disabled in people:
        key = (day, county, sex or "")
        name = f"{PARTICIPANTS}:{status or ''}"
        rows[(name, *key)] = rows.get((name, *key), 0) + n
        if disabled:
            rows[(DISABLED, *key)] = rows.get((DISABLED, *key), 0) + disabled
    return rows


def _by_day(measure: measures.Measure, project, params: dict) -> dict[tuple, int]:
    """(day, county, sex) → amount: `measures.computing._grouped`'s query, grouped by day and
    sex too."""
    model = measure.model_class()
    queryset = model.objects.filter(measure.select(project, params, CUMULATIVE)).annotate(
        _county=measure.county_expression()
    )
    keys = [measure.date, "_county", *([measure.sex] if measure.sex else [])]
    found: dict[tuple, int] = defaultdict(int)
    if not measure.hours_of:
        counted = queryset.values(*keys).annotate(n=Count("pk", distinct=True)).order_by()
        for row in counted.values_list(*keys, "n"):
            found[(row[0], row[1], (row[2] or "") if measure.sex else "")] += row[-1]
        return dict(found)
    # Hours: marks counted per session, weighed by its length (as measures.computing._grouped).
    prefix = measure.hours_of
    start, end = f"{prefix}start_time", f"{prefix}end_time"
    counted = queryset.values(*keys, f"{prefix}id", start, end).annotate(n=Count("pk")).order_by()
    for row in counted.values_list(*keys, start, end, "n"):
        begins, ends, n = row[-3], row[-2], row[-1]
        length = (ends.hour - begins.hour) * 60 + ends.minute - begins.minute
        found[(row[0], row[1], (row[2] or "") if measure.sex else "")] += n * length
    return dict(found)


def _attended_marks(project):
    attendance = apps.get_model("delivery", "Attendance")
    return (
        attendance.objects.filter(participant__project=project, status__in=measures.ATTENDED)
        .values_list("session__date")
        .annotate(n=Count("pk"))
        .order_by()
    )


def stored(project) -> dict[tuple, int]:
    """The rows as they stand, in the form of ``computed``."""
    return {
        (name, day, county, sex): amount
        for name, day, county, sex, amount in MeasureTotal.objects.filter(project=project)
        .values_list("series", "day", "county", "sex", "amount")
        .iterator(chunk_size=BATCH)
    }


def stale_rows(project) -> int:
    """How many rows differ from a fresh computation from the records."""
    fresh, kept = computed(project), stored(project)
    return sum(1 for key in fresh.keys() | kept.keys() if fresh.get(key) != kept.get(key))


# Storing


def rebuild(project) -> int:
    """Compute the project's rows from the records and store them as current; returns how
    many. Safe to run beside changes and other rebuilds: the rows are marked current only
    for the change token read before computing (see ``TotalsState``)."""
    state, _created = TotalsState.objects.get_or_create(project=project)
    token = TotalsState.objects.filter(pk=state.pk).values_list("changed", flat=True).get()
    names = sorted(wanted(project))
    rows = computed(project)
    with transaction.atomic():
        TotalsState.objects.select_for_update().filter(pk=state.pk).get()
        MeasureTotal.objects.filter(project=project).delete()
        MeasureTotal.objects.bulk_create(
            (
                MeasureTotal(
                    project=project, series=name, day=day, county=county, sex=sex, amount=n
                )
                for (name, day, county, sex), n in rows.items()
            ),
            batch_size=BATCH,
        )
        TotalsState.objects.filter(pk=state.pk).update(
            built=token,
            built_at=timezone.now(),
            series=[*names, ATTENDED_MARKS, CERTIFICATES, PARTICIPANTS],
        )
    return len(rows)


def rebuild_if_stale(project_id: int) -> bool:
    """The worker's task: rebuild unless the rows are already current (many changes in a row
    queue many tasks; the first rebuild serves them all)."""
    from lider.projects.models import Project

    project = Project.objects.filter(pk=project_id).first()
    if project is None:
        return False
    state = TotalsState.objects.filter(project=project).first()
    if state is not None and state.built == state.changed:
        return False
    rebuild(project)
    return True


# Reading


def current(project_ids) -> dict[int, set[str]]:
    """project id → the series its rows hold, for the projects whose rows are current."""
    return {
        pk: set(names)
        for pk, names in TotalsState.objects.filter(project_id__in=project_ids, built__isnull=False)
        .filter(built=F("changed"))
        .values_list("project_id", "series")
    }


def held_subquery(project_path: str = "goal__project_id"):
    """An annotation of rows of a project: the series its current totals hold, or None when
    they are not current — so a page learns it with the rows it reads anyway."""
    state = TotalsState.objects.filter(project_id=OuterRef(project_path), built=F("changed"))
    return Subquery(state.values("series")[:1], output_field=JSONField())


def _dated(period: Period, measure: measures.Measure | None) -> Q:
    """Rows of the period; undated rows only where the measure's own filter keeps them: in a
    figure of all time, and for a measure that counts them "up to a day"."""
    if period.start is None and period.end is None:
        return Q()
    q = period.lookup("day")
    if period.start is None and measure is not None and measure.undated_until:
        q |= Q(day__isnull=True)
    return q


def figures(project, asked: list[tuple[measures.Measure, dict, Period]]) -> list[Figure]:
    """The figure of each (measure, params, period), read from the project's current rows in
    one query; the caller has checked they are current and hold these series."""
    filters, by_name = {}, defaultdict(list)
    for n, (measure, params, period) in enumerate(asked):
        for p, part in enumerate(measures.parts(measure)):
            name = series(part.key, params)
            label = f"v{n}_{p}"
            filters[label] = Sum("amount", filter=Q(series=name) & _dated(period, part))
            by_name[name].append(label)
    rows = list(
        MeasureTotal.objects.filter(project=project, series__in=list(by_name))
        .values("county", "sex")
        .annotate(**filters)
        .order_by("county", "sex")
    )
    found = []
    for n, (measure, _params, _period) in enumerate(asked):
        made = [
            _figure(part, project, rows, f"v{n}_{p}")
            for p, part in enumerate(measures.parts(measure))
        ]
        found.append(measures.share(*made) if measure.share_of else made[0])
    return found


def _figure(measure: measures.Measure, project, rows, label: str) -> Figure:
    per_hour = hours.minutes_per_hour(project.hours_unit) if measure.hours_of else None

    def value(n) -> Decimal:
        n = Decimal(n or 0)
        return (n / per_hour).quantize(Decimal("0.01")) if per_hour else n

    by_county: dict[str, int] = {}
    total = women = men = 0
    for row in rows:
        n = row[label]
        if n is None:  # no records of this series in the period here
            continue
        by_county[row["county"]] = by_county.get(row["county"], 0) + n
        total += n
        women += n if row["sex"] == "K" else 0
        men += n if row["sex"] == "M" else 0
    has_sex = measure.sex is not None
    return Figure(
        total=value(total),
        women=value(women) if has_sex else None,
        men=value(men) if has_sex else None,
        by_county={code: value(n) for code, n in sorted(by_county.items())},
    )


def attended_by_month(project) -> list[tuple[datetime.date, int]]:
    """The chart's attended marks per month, from the current rows (one query)."""
    months: dict[datetime.date, int] = defaultdict(int)
    for day, n in MeasureTotal.objects.filter(project=project, series=ATTENDED_MARKS).values_list(
        "day", "amount"
    ):
        months[day.replace(day=1)] += n
    return sorted(months.items())


def certificates_by_status(project) -> dict[str, int]:
    """status → the project's certificates, from the current rows (one query)."""
    rows = MeasureTotal.objects.filter(project=project, series__startswith=f"{CERTIFICATES}:")
    counted = rows.values_list("series").annotate(n=Sum("amount")).order_by()
    return {name.split(":", 1)[1]: int(n) for name, n in counted}


def participants_of(project_ids, period: Period, county: str | None, *, reveal: bool):
    """The roll-up's participants from the current rows: ([(project, sex, county, labour
    status, people)], people with a disability or 0 when not ``reveal``) — two queries."""
    q = Q(project_id__in=project_ids) & _dated(period, None)
    if county:
        q &= Q(county=county)
    rows = (
        MeasureTotal.objects.filter(q, series__startswith=f"{PARTICIPANTS}:")
        .values_list("project_id", "sex", "county", "series")
        .annotate(n=Sum("amount"))
        .order_by()
    )
    found = [(pk, sex, code, name.split(":", 1)[1], int(n)) for pk, sex, code, name, n in rows]
    disabled = 0
    if reveal:  # special-category counts are not even read for a user who may not see them
        counted = MeasureTotal.objects.filter(q, series=DISABLED).aggregate(n=Sum("amount"))
        disabled = int(counted["n"] or 0)
    return found, disabled


def issued_certificates_of(project_ids, period: Period, county: str | None):
    """(project, valid certificates) from the current rows (one query)."""
    q = Q(project_id__in=project_ids, series=f"{CERTIFICATES}:issued") & _dated(period, None)
    if county:
        q &= Q(county=county)
    rows = MeasureTotal.objects.filter(q).values_list("project_id").annotate(n=Sum("amount"))
    return [(pk, int(n)) for pk, n in rows.order_by()]


def totals_of(project_ids, asked, period: Period) -> dict[tuple[int, str], Decimal]:
    """(project id, series) → the summed amount in ``period`` (no split), for many projects
    in one query; ``asked``: (measure, params) pairs (plain measures, not shares)."""
    names = {series(m.key, params): m for m, params in asked}
    undated = [name for name, m in names.items() if m.undated_until]
    q = _dated(period, None)
    if period.start is None and period.end is not None and undated:
        q |= Q(day__isnull=True, series__in=undated)
    rows = (
        MeasureTotal.objects.filter(project_id__in=project_ids, series__in=list(names))
        .filter(q)
        .values_list("project_id", "series")
        .annotate(n=Sum("amount"))
        .order_by()
    )
    return {(pk, name): Decimal(n) for pk, name, n in rows}
