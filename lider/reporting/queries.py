"""Reads for indicators, the dashboard and reports; every figure is computed in the database."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, Q

from lider.outcomes.models import FoundedEntity
from lider.projects import hours
from lider.projects.models import Task
from lider.reporting import measures
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
    of ``period``. One or two grouped queries per indicator, whatever the number of records."""
    values = []
    cumulative_period = Period(end=until) if until else CUMULATIVE
    for indicator in indicators_of(project):
        measure = indicator.get_measure()
        if measure not in measures.available():
            continue
        values.append(
            IndicatorValue(
                indicator=indicator,
                cumulative=measures.compute(measure, project, indicator.params, cumulative_period),
                period=measures.compute(measure, project, indicator.params, period)
                if period is not None
                else None,
                hours_unit=project.hours_unit if measure.hours_of else "",
            )
        )
    return values


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
    task = project.tasks.filter(kind=Task.Kind.TRAINING_CYCLE).order_by("order", "pk").first()
    certified = enrolled = 0
    if task is not None and apps.is_installed("lider.certification"):
        params = {"task": task.pk}
        certified = int(
            measures.compute(
                measures.get("participants_with_valid_certificate"), project, params
            ).total
        )
        enrolled = int(
            measures.compute(measures.get("participants_in_task"), project, params).total
        )
    return PublicResults(
        certified=certified,
        enrolled=enrolled,
        share=measures.percent(certified, enrolled) if enrolled else None,
        entities=list(FoundedEntity.objects.for_project(project).order_by("order", "name", "pk")),
    )
