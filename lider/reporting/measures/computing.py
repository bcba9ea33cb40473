"""Computing a measure's figure from the records: one grouped query, hours weighed by a
session's length, a share as a percentage of another measure's figure."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q

from lider.people.models import Sex
from lider.projects import hours
from lider.reporting.measures.definitions import CUMULATIVE, Figure, Measure, Period, get


def compute(measure: Measure, project, params: dict, period: Period = CUMULATIVE) -> Figure:
    """The figure, in one grouped query (two for a share)."""
    if measure.share_of:
        return _share(measure, project, params, period)
    rows = _grouped(measure, project, params, period)
    # Hours are counted in the project's unit (lider.projects.hours), minutes summed here.
    per_hour = hours.minutes_per_hour(project.hours_unit) if measure.hours_of else None
    return _figure(rows, has_sex=measure.sex is not None, minutes_per_hour=per_hour)


def _grouped(measure: Measure, project, params: dict, period: Period) -> list[dict]:
    model = measure.model_class()
    queryset = model.objects.filter(measure.select(project, params, period)).annotate(
        _county=measure.county_expression()
    )

    def metric(condition=None):
        # Marks are counted once each (their joins run along foreign keys); other records may
        # meet a condition through several related rows, so they are counted distinct.
        return Count("pk", filter=condition, distinct=not measure.hours_of)

    annotations = {"total": metric()}
    if measure.sex:
        annotations["women"] = metric(Q(**{measure.sex: Sex.FEMALE}))
        annotations["men"] = metric(Q(**{measure.sex: Sex.MALE}))
    if not measure.hours_of:
        return list(queryset.values("_county").annotate(**annotations).order_by("_county"))
    # Hours: count the marks per session (and county), then weigh each session's count by its
    # length. The rows grow with sessions, not with marks, and no time arithmetic runs in the
    # database (SQLite would call a Python function for every mark).
    prefix = measure.hours_of
    start, end = f"{prefix}start_time", f"{prefix}end_time"
    rows = queryset.values("_county", f"{prefix}id", start, end).annotate(**annotations)
    by_county: dict[str, dict] = {}
    for row in rows.order_by():
        length = (row[end].hour - row[start].hour) * 60 + row[end].minute - row[start].minute
        target = by_county.setdefault(row["_county"], dict.fromkeys(annotations, 0))
        for name in annotations:
            target[name] += row[name] * length
    return [{"_county": county, **values} for county, values in sorted(by_county.items())]


def _figure(rows: list[dict], *, has_sex: bool, minutes_per_hour: int | None = None) -> Figure:
    def value(n) -> Decimal:
        n = Decimal(n or 0)
        return (n / minutes_per_hour).quantize(Decimal("0.01")) if minutes_per_hour else n

    by_county = {row["_county"]: value(row["total"]) for row in rows}
    total = value(sum(row["total"] for row in rows))
    women = value(sum(row["women"] for row in rows)) if has_sex else None
    men = value(sum(row["men"] for row in rows)) if has_sex else None
    return Figure(total=total, women=women, men=men, by_county=by_county)


def percent(part, whole) -> Decimal:
    if not whole:
        return Decimal(0)
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def parts(measure: Measure) -> tuple[Measure, ...]:
    """The measures a figure is made of: its own, or a share's numerator and denominator."""
    if measure.share_of:
        return tuple(get(key) for key in measure.share_of.split(":"))
    return (measure,)


def _share(measure: Measure, project, params: dict, period: Period) -> Figure:
    numerator, denominator = (compute(part, project, params, period) for part in parts(measure))
    return share(numerator, denominator)


def share(numerator: Figure, denominator: Figure) -> Figure:
    """The numerator's figure as a percentage of the denominator's, part by part."""
    has_sex = numerator.women is not None
    return Figure(
        total=percent(numerator.total, denominator.total),
        women=percent(numerator.women, denominator.women) if has_sex else None,
        men=percent(numerator.men, denominator.men) if has_sex else None,
        by_county={
            code: percent(n, denominator.by_county.get(code, 0))
            for code, n in numerator.by_county.items()
        },
    )
