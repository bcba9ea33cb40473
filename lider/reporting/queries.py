"""Reads for indicators, the dashboard and reports; every figure is computed in the database."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, Q

from lider.outcomes.models import FoundedEntity
from lider.projects import hours
from lider.reporting import measures, totals
from lider.reporting.measures import CUMULATIVE, Figure, Period
from lider.reporting.models import Indicator
from lider.territory.models import Unit


@dataclass
class IndicatorValue:
    indicator: Indicator
    cumulative: Figure
    period: Figure | None = None
    # For a measure of hours: the project's hours unit (lider.projects.hours), else "".
    hours_unit: str = ""

    @property
    def unit_label(self) -> str:
        """ "teaching hours (45 min)" in the active language, or "" for a count."""
        return hours.label(self.hours_unit) if self.hours_unit else ""

    @property
    def name(self) -> str:
        """The indicator's name, with the hours unit when it counts hours."""
        if self.hours_unit:
            return f"{self.indicator.name} ({self.unit_label})"
        return self.indicator.name

    @property
    def progress(self) -> Decimal:
        """Cumulative value as a percentage of the target (may exceed 100)."""
        return measures.percent(self.cumulative.total, self.indicator.target_total)

    @property
    def progress_capped(self) -> Decimal:
        return min(self.progress, Decimal(100))


def indicators_of(project):
    return Indicator.objects.filter(goal__project=project).select_related("goal")


def indicator_values(project, *, period: Period | None = None, until: datetime.date | None = None):
    """Each indicator with its cumulative figure (up to ``until``) and, when asked, the figure
    of ``period``. Read from the pre-aggregated totals in one query when they are current
    (``lider.reporting.totals``), else one or two grouped queries per indicator over the
    records; the figures are the same."""
    cumulative_period = Period(end=until) if until else CUMULATIVE
    available = measures.available()
    # Whether the totals are current comes with the indicators (no query of its own).
    indicators = list(indicators_of(project).annotate(_held=totals.held_subquery()))
    if indicators:
        _remember_held(project, indicators[0]._held)
    shown = [i for i in indicators if i.get_measure() in available]
    asked = [(i.get_measure(), i.params, cumulative_period) for i in shown]
    if period is not None:
        asked += [(i.get_measure(), i.params, period) for i in shown]
    found = _figures(project, asked)
    return [
        IndicatorValue(
            indicator=indicator,
            cumulative=found[n],
            period=found[len(shown) + n] if period is not None else None,
            hours_unit=project.hours_unit if indicator.get_measure().hours_of else "",
        )
        for n, indicator in enumerate(shown)
    ]


def _figures(project, asked) -> list[Figure]:
    """The figure of each (measure, params, period): from the current totals where they hold
    every series asked, else computed from the records."""
    if not asked:
        return []
    held = _held(project)
    names = {
        totals.series(part.key, params)
        for measure, params, _period in asked
        for part in measures.parts(measure)
    }
    if held is not None and names <= held:
        return totals.figures(project, asked)
    return [measures.compute(m, project, params, period) for m, params, period in asked]


def _remember_held(project, series) -> None:
    project._lider_totals_held = set(series) if series is not None else None


def _held(project) -> set[str] | None:
    """The series of the project's current totals (None: not current). Read once for the
    project instance (the request's), whichever figure asks first."""
    if not hasattr(project, "_lider_totals_held"):
        _remember_held(project, totals.current([project.pk]).get(project.pk))
    return project._lider_totals_held


def county_names(codes) -> dict[str, str]:
    """TERC code → county label, newest register first."""
    names = {}
    for unit in Unit.objects.filter(code__in=set(codes) - {""}).order_by("reference_date"):
        names[unit.code] = unit.county_label if unit.level == Unit.Level.COUNTY else unit.name
    return names


def attendance_by_month(project) -> list[tuple[datetime.date, int]]:
    """Attended marks per calendar month of the session (one query, grouped by session date;
    months are added up here, so no date function runs for every mark)."""
    if not apps.is_installed("lider.delivery"):
        return []
    if totals.ATTENDED_MARKS in (_held(project) or ()):
        return totals.attended_by_month(project)
    attendance = apps.get_model("delivery", "Attendance")
    rows = (
        attendance.objects.filter(participant__project=project, status__in=measures.ATTENDED)
        .values_list("session__date")
        .annotate(n=Count("pk"))
        .order_by()
    )
    months: dict[datetime.date, int] = {}
    for day, n in rows:
        month = day.replace(day=1)
        months[month] = months.get(month, 0) + n
    return sorted(months.items())


def certificate_counts(project) -> dict[str, int]:
    """Valid and revoked certificates of the project (one query)."""
    if not apps.is_installed("lider.certification"):
        return {}
    if totals.CERTIFICATES in (_held(project) or ()):
        counted = totals.certificates_by_status(project)
        return {"issued": counted.get("issued", 0), "revoked": counted.get("revoked", 0)}
    certificate = apps.get_model("certification", "Certificate")
    return certificate.objects.filter(project=project).aggregate(
        issued=Count("pk", filter=Q(status="issued")),
        revoked=Count("pk", filter=Q(status="revoked")),
    )


def recruitment_funnel(project) -> list[tuple[str, int]]:
    """Applications by status, in the order of the recruitment path (one query); empty when
    the recruitment app is not installed."""
    if not apps.is_installed("lider.recruitment"):
        return []
    try:
        application = apps.get_model("recruitment", "Application")
    except LookupError:
        return []
    status_field = application._meta.get_field("status")
    counts = dict(
        application.objects.filter(project=project)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [(str(label), counts.get(value, 0)) for value, label in status_field.choices]


@dataclass
class PublicResults:
    """The figures of a project's public results page, computed from the records."""

    certified: int  # distinct participants with a valid certificate of the training cycle
    enrolled: int  # participants of the training cycle
    share: Decimal | None  # certified as a percentage of enrolled
    entities: list


def public_results(project) -> PublicResults:
    """The training cycle's certified participants and their share, and the entities founded.

    The figures use the same measures as the indicators, so the page and the dashboard agree.
    """
    certified = enrolled = 0
    task = totals.training_cycle(project)
    if task is not None:
        _remember_held(project, task._held)
    asked = [(measures.get(key), params, CUMULATIVE) for key, params in totals.public_series(task)]
    if asked:
        certified, enrolled = (int(figure.total) for figure in _figures(project, asked))
    return PublicResults(
        certified=certified,
        enrolled=enrolled,
        share=measures.percent(certified, enrolled) if enrolled else None,
        entities=list(FoundedEntity.objects.for_project(project).order_by("order", "name", "pk")),
    )
