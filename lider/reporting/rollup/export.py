"""The roll-up as XLSX, written through `lider.core.spreadsheets` (every text stays text)."""

import io

from django.utils.translation import gettext as _

from lider.core.sensitive import HIDDEN
from lider.core.spreadsheets import Workbook
from lider.people.models import LabourStatus, Sex


def rollup_workbook(data, *, counties: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with Workbook(buffer) as book:
        _projects(book.add_sheet(_("Projects")), data)
        _participants(book.add_sheet(_("Participants")), data, counties)
        _indicators(book.add_sheet(_("Indicators")), data)
    return buffer.getvalue()


def _projects(sheet, data) -> None:
    sheet.write_header(
        0,
        [
            _("Project number"),
            _("Title"),
            _("Programme"),
            _("State"),
            _("Start date"),
            _("End date"),
            _("Participants"),
            _("Women"),
            _("Men"),
            _("Valid certificates"),
            _("Founded entities"),
            _("Indicators"),
            _("Progress (%)"),
            _("Elapsed time (%)"),
            _("At risk"),
        ],
    )
    for n, row in enumerate(data.rows, start=1):
        project = row.project
        sheet.write_row(
            n,
            [
                project.number,
                project.title,
                project.classification.label,
                project.get_state_display(),
                project.start_date,
                project.end_date,
                row.participants,
                row.women,
                row.men,
                row.certificates,
                row.entities,
                len(row.indicators),
                row.progress,
                row.elapsed,
                _("yes") if row.at_risk else _("no"),
            ],
        )
    sheet.set_column(1, 1, 50)


def _participants(sheet, data, counties) -> None:
    rows = [(_("Participants"), data.participants)]
    rows += [(label, data.by_sex.get(value, 0)) for value, label in Sex.choices]
    # Special categories: the count, or the mask, never a count for a role without the right.
    disabled = data.disabled if data.disabled is not None else str(HIDDEN)
    rows.append((_("with disabilities"), disabled))
    rows += [
        (dict(LabourStatus.choices).get(value, _("labour-market status not recorded")), n)
        for value, n in data.by_status.items()
    ]
    rows += [(counties.get(code) or _("no county"), n) for code, n in data.by_county.items()]
    sheet.write_header(0, [_("Group"), _("People")])
    for n, cells in enumerate(rows, start=1):
        sheet.write_row(n, [str(cells[0]), cells[1]])
    sheet.set_column(0, 0, 50)


def _indicators(sheet, data) -> None:
    sheet.write_header(
        0,
        [
            _("Project number"),
            _("Indicator"),
            _("Unit"),
            _("Target"),
            _("Value"),
            _("Attainment (%)"),
        ],
    )
    n = 0
    for row in data.rows:
        for indicator, value, attainment in row.indicators:
            n += 1
            sheet.write_row(
                n,
                [
                    row.project.number,
                    indicator.name,
                    indicator.unit,
                    indicator.target_total,
                    value,
                    attainment,
                ],
            )
    sheet.set_column(1, 1, 60)
