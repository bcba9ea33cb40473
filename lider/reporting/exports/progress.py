"""The progress report for a payment-claim period: tasks done, indicator values (period and
cumulative, women/men) and participants starting and ending, as PDF and as XLSX."""

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractHour, ExtractMinute
from django.utils import formats, translation
from django.utils.translation import gettext as _

from lider.core.documents import (
    ReportChart,
    ReportData,
    ReportSection,
    ReportTable,
    render_report,
)
from lider.core.spreadsheets import Workbook
from lider.delivery.models import Attendance, Session
from lider.people import paths
from lider.people.models import Participant, Sex
from lider.projects import hours
from lider.projects.logos import document_logos, printed_marks
from lider.reporting import charts
from lider.reporting.exports import breakdown as breakdowns
from lider.reporting.measures import ATTENDED, Period
from lider.reporting.queries import IndicatorValue, indicator_values

# Rows of the participants' table: started, ended, and of those ended, completed as planned
# and dropped out (each in the period and cumulatively, women and men).
PARTICIPANT_ROWS = ("started", "ended", "completed", "dropped")


@dataclass
class TaskRow:
    title: str
    sessions: int
    hours: Decimal  # in the project's hours unit
    people: int


@dataclass
class ProgressData:
    project: object
    start: datetime.date
    end: datetime.date
    tasks: list[TaskRow]
    indicators: list[IndicatorValue]
    participants: dict[str, dict[str, int]]  # started/ended × period/cumulative × K/M/total
    breakdown: "breakdowns.Breakdown | None" = None  # what a payment claim asks for


def _minutes(prefix=""):
    return (
        (ExtractHour(f"{prefix}end_time") - ExtractHour(f"{prefix}start_time")) * 60
        + ExtractMinute(f"{prefix}end_time")
        - ExtractMinute(f"{prefix}start_time")
    )


def progress_data(
    project, start: datetime.date, end: datetime.date, *, sensitive: bool = False
) -> ProgressData:
    """``sensitive``: the reader may see special-category data (personal.view_sensitive); without
    it the disadvantaged groups are left out of the breakdown."""
    period = Period(start, end)
    sessions = {
        row["task_id"]: row
        for row in Session.objects.filter(task__project=project, date__range=(start, end))
        .values("task_id")
        .annotate(n=Count("pk"), minutes=Sum(_minutes()))
        .order_by()
    }
    people = dict(
        Attendance.objects.filter(
            session__task__project=project,
            session__date__range=(start, end),
            status__in=ATTENDED,
        )
        .values_list("session__task_id")
        .annotate(n=Count("participant_id", distinct=True))
        .order_by()
    )
    tasks = [
        TaskRow(
            title=task.title,
            sessions=sessions.get(task.pk, {}).get("n", 0),
            hours=hours.hours(sessions.get(task.pk, {}).get("minutes"), project.hours_unit),
            people=people.get(task.pk, 0),
        )
        for task in project.tasks.order_by("order", "pk")
    ]
    persons = Participant.objects.filter(project=project, person__isnull=False)

    def split(prefix, condition):
        return {
            f"{prefix}_total": Count("pk", filter=condition),
            f"{prefix}_women": Count("pk", filter=condition & Q(person__sex=Sex.FEMALE)),
            f"{prefix}_men": Count("pk", filter=condition & Q(person__sex=Sex.MALE)),
        }

    counts = persons.aggregate(
        **split("started_period", Q(start_date__range=(start, end))),
        **split("started_cumulative", Q(start_date__lte=end)),
        **split("ended_period", Q(end_date__range=(start, end))),
        **split("ended_cumulative", Q(end_date__lte=end)),
        # From each participant's path (lider.people.paths): ended as planned, or dropped out.
        **split("completed_period", Q(end_date__range=(start, end), completed_as_planned=True)),
        **split("completed_cumulative", Q(end_date__lte=end, completed_as_planned=True)),
        **split(
            "dropped_period", Q(end_date__range=(start, end), exit_reason__in=paths.LEFT_EARLY)
        ),
        **split("dropped_cumulative", Q(end_date__lte=end, exit_reason__in=paths.LEFT_EARLY)),
    )
    participants = {
        kind: {
            scope: {sex: counts[f"{kind}_{scope}_{sex}"] for sex in ("total", "women", "men")}
            for scope in ("period", "cumulative")
        }
        for kind in PARTICIPANT_ROWS
    }
    return ProgressData(
        project=project,
        start=start,
        end=end,
        tasks=tasks,
        indicators=indicator_values(project, period=period, until=end),
        participants=participants,
        breakdown=breakdowns.breakdown(project, start, end, sensitive=sensitive),
    )


def _value(value):
    """No women/men split (records without sex): an empty cell, so the column stays numeric."""
    return value


class Percent(Decimal):
    """A percentage (0–100+): the PDF prints it with a % sign, the XLSX writes it as a number
    formatted as a percentage."""


def _percent_text(value) -> str:
    return f"{formats.number_format(value, use_l10n=True)}%"


def _tables(data: ProgressData, *, percent=_percent_text) -> dict[str, ReportTable]:
    tasks = ReportTable(
        columns=[
            _("Task"),
            _("Sessions"),
            hours.count_label(data.project.hours_unit),
            _("People present"),
        ],
        rows=[[t.title, t.sessions, t.hours, t.people] for t in data.tasks],
        caption=_("Tasks carried out in the period"),
    )
    indicators = ReportTable(
        columns=[
            _("Indicator"),
            _("Target"),
            _("In the period"),
            _("women"),
            _("men"),
            _("Cumulative"),
            _("women"),
            _("men"),
            _("Share of target"),
        ],
        rows=[
            [
                v.name,
                v.indicator.target_total,
                v.period.total,
                _value(v.period.women),
                _value(v.period.men),
                v.cumulative.total,
                _value(v.cumulative.women),
                _value(v.cumulative.men),
                percent(Percent(v.progress)),
            ]
            for v in data.indicators
        ],
        caption=_("Indicators: value in the period and cumulative"),
    )
    labels = {
        "started": _("Started participation"),
        "ended": _("Ended participation"),
        "completed": _("of whom completed the planned path"),
        "dropped": _("of whom dropped out"),
    }
    people = ReportTable(
        columns=[
            "",
            _("In the period"),
            _("women"),
            _("men"),
            _("Cumulative"),
            _("women"),
            _("men"),
        ],
        rows=[
            [
                labels[kind],
                *(
                    data.participants[kind][scope][sex]
                    for scope in ("period", "cumulative")
                    for sex in ("total", "women", "men")
                ),
            ]
            for kind in PARTICIPANT_ROWS
        ],
        caption=_("Participants starting and ending in the period"),
    )
    if data.breakdown is not None:
        return {
            "tasks": tasks,
            "indicators": indicators,
            "people": people,
            **breakdowns.tables(data.breakdown),
        }
    return {"tasks": tasks, "indicators": indicators, "people": people}


def _title(data: ProgressData) -> tuple[str, str]:
    period = _("Period from %(start)s to %(end)s") % {
        "start": formats.date_format(data.start, "DATE_FORMAT"),
        "end": formats.date_format(data.end, "DATE_FORMAT"),
    }
    return _("Progress report"), f"{data.project.title} ({data.project.number}) · {period}"


def render_pdf(data: ProgressData, *, lang: str = "pl", today: datetime.date | None = None):
    with translation.override(lang):
        title, subtitle = _title(data)
        tables = _tables(data)
        chart = charts.progress_chart(
            "progress-indicators",
            _("Indicators: value against target"),
            [
                (v.indicator.name, v.cumulative.total, v.indicator.target_total)
                for v in data.indicators
            ],
            value_label=_("%(value)s of %(target)s"),
        )
        report = ReportData(
            title=title,
            subtitle=subtitle,
            cofinancing=data.project.cofinancing_statement,
            logos=document_logos(printed_marks(data.project)),
            date=today or datetime.date.today(),
            sections=[
                ReportSection(heading=_("Tasks"), tables=[tables["tasks"]]),
                ReportSection(
                    heading=_("Indicators"),
                    tables=[tables["indicators"]],
                    charts=[ReportChart(svg=chart)] if data.indicators else [],
                ),
                ReportSection(heading=_("Participants"), tables=[tables["people"]]),
                ReportSection(
                    heading=_("Breakdown for the payment claim"),
                    tables=[tables[key] for key in breakdowns.TABLES if key in tables],
                ),
            ],
        )
    return render_report(report, lang=lang)


def render_xlsx(data: ProgressData, *, lang: str = "pl") -> bytes:
    """The report's tables, one sheet each; task titles and indicator names stay text."""
    buffer = io.BytesIO()
    with translation.override(lang):
        tables = _tables(data, percent=lambda value: value)
        title, subtitle = _title(data)
        names = {
            "tasks": _("Tasks"),
            "indicators": _("Indicators"),
            "people": _("Participants"),
            **breakdowns.sheet_names(),
        }
        with Workbook(buffer) as workbook:
            percent = workbook.add_format({"num_format": "0%"})
            for name, table in tables.items():
                sheet = workbook.add_sheet(names[name])
                sheet.set_column(0, 0, 50)
                sheet.write_text(0, 0, title, workbook.bold)
                sheet.write_text(1, 0, subtitle)
                sheet.write_text(2, 0, table.caption, workbook.bold)
                sheet.write_header(3, table.columns)
                for i, row in enumerate(table.rows, start=4):
                    sheet.write_row(i, [None if isinstance(c, Percent) else c for c in row])
                    # A percentage: the number as a fraction, shown with a % sign.
                    for column, cell in enumerate(row):
                        if isinstance(cell, Percent):
                            sheet.worksheet.write_number(i, column, float(cell) / 100, percent)
    return buffer.getvalue()
