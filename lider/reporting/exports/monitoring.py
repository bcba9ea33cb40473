"""The participant export in a monitoring profile (PEFS 2007, SL2014, CST2021): the file.

The rows come from :mod:`lider.reporting.exports.monitoring_rows` (streamed tuples, in the
profile's ``field_names`` order); here each becomes the profile's cells and is written with
:mod:`lider.core.spreadsheets` (xlsxwriter in ``constant_memory`` mode, every text as text, or
CSV), so memory stays flat whatever the number of participants. A participant whose
mandatory data are incomplete is not exported (such a person cannot be shown as a
participant) and is listed on the second sheet, the check report, with the columns that are
missing.

The inner loop runs once per row and cell (7.5 million cells for SL2014 at 100,000
participants): the profile's columns are compiled once per file (``columns.Cells``) and each
row's cells go to the sheet through the typed writers.
"""

import datetime
import io
import os
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lider.core import audit
from lider.core.replica import reading_replica
from lider.core.spreadsheets import CsvWriter, Workbook
from lider.reporting.exports.columns import (
    INSTITUTION_FIELDS,
    Cells,
    Context,
    Profile,
    field_names,
)
from lider.reporting.exports.monitoring_rows import (
    CHUNK,
    context_for,
    count_rows,
    institution_rows,
    rows_for,
)
from lider.reporting.exports.profiles import PROFILES


@dataclass
class ExportResult:
    profile: Profile
    exported: int = 0
    institutions: int = 0  # rows of the institutional part, if the profile has one
    incomplete: list[tuple[int, str, list[str]]] = field(default_factory=list)  # id, name, gaps


def column_letter(index: int) -> str:
    """A, B, …, Z, AA, … for a zero-based column index."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def write_export(
    profile: Profile, rows, context: Context, target, institutions=None
) -> ExportResult:
    """Write ``rows`` (tuples in ``field_names(profile)`` order) to ``target`` (a path or a
    binary file): the data sheet, the check sheet (one line per row left out: its mandatory
    values that are empty or not in the dictionary, by column) and a sheet saying what the
    file is (title, project, whether PESEL numbers are masked, the DEGURBA editions used)."""
    result = ExportResult(profile=profile)
    workbook = Workbook(target)
    sheet = workbook.add_sheet(profile.sheet)
    check = workbook.add_sheet(_("Check report"))
    about = workbook.add_sheet(_("About this file"))
    sheet.write_header(0, [column.label for column in profile.columns])
    sheet.freeze_panes(1, 0)
    check.write_header(
        0,
        [_("Participant id"), _("Full name"), _("Missing mandatory data"), _("Columns")],
    )
    compiled = Cells(profile.columns, field_names(profile), context)
    cells_of, gaps_of, row = compiled.of, compiled.gaps, compiled.row
    write_cells, write_check = sheet.write_row, check.write_row
    row_number = check_number = 0
    # PEFS 2007 lists the employees of supported institutions again on a sheet of their own,
    # after the institutions (kept until then: a subset of the participants).
    employees = [] if profile.employee_sheet else None
    for values in rows:
        cells = cells_of(values)
        gaps = gaps_of(cells)
        if employees is not None and not gaps and row.get("employer"):
            employees.append([row["employer"], *cells])
        if gaps:
            check_number += 1
            name = f"{values[1] or ''} {values[2] or ''}".strip()
            problems = [problem for _i, problem in gaps]
            write_check(
                check_number,
                [
                    values[0],
                    name,
                    "; ".join(problems),
                    "; ".join(column_letter(i) for i, _problem in gaps),
                ],
            )
            result.incomplete.append((values[0], name, problems))
            continue
        row_number += 1
        write_cells(row_number, cells)
    result.exported = row_number
    if profile.institution_columns and institutions is not None:
        # Their own sheet (PEFS 2007), or rows after the people's on the same one (SL2014).
        same_sheet = profile.institution_sheet == profile.sheet
        part = sheet if same_sheet else workbook.add_sheet(profile.institution_sheet)
        if not same_sheet:
            part.write_header(0, [column.label for column in profile.institution_columns])
            part.freeze_panes(1, 0)
        compiled = Cells(profile.institution_columns, list(INSTITUTION_FIELDS), context)
        first_row = row_number if same_sheet else 0
        row_number = first_row
        for values in institutions:
            cells = compiled.of(values)
            gaps = compiled.gaps(cells)
            if gaps:
                check_number += 1
                problems = [problem for _i, problem in gaps]
                write_check(
                    check_number,
                    [
                        values[0],
                        values[1],
                        "; ".join(problems),
                        "; ".join(
                            f"{profile.institution_sheet}!{column_letter(i)}" for i, _p in gaps
                        ),
                    ],
                )
                result.incomplete.append((values[0], values[1], problems))
                continue
            row_number += 1
            part.write_row(row_number, cells)
        result.institutions = row_number - first_row
    if employees is not None:
        part = workbook.add_sheet(profile.employee_sheet)
        part.write_header(0, ["Nazwa instytucji", *(column.label for column in profile.columns)])
        part.freeze_panes(1, 0)
        for number, cells in enumerate(employees, start=1):
            part.write_row(number, cells)
    editions = sorted({edition for _degree, edition in context.degurba.values()})
    lines = [
        profile.title or profile.name,
        _("Project: %(title)s") % {"title": context.project_title},
        _("Rows: %(rows)s; left out for incomplete data: %(incomplete)s (see the check report)")
        % {"rows": result.exported, "incomplete": len(result.incomplete)},
        _("PESEL numbers are whole.")
        if context.full_sensitive
        else _(
            "PESEL numbers are masked (only the birth date is shown) and special-category "
            "answers are hidden: the role that exported this file may not see them."
        ),
    ]
    if editions:
        lines.append(
            _("DEGURBA: Eurostat's classification, edition %(editions)s.")
            % {"editions": ", ".join(map(str, editions))}
        )
    for number, line in enumerate(lines):
        about.write_row(number, [line])
    workbook.close()
    return result


def write_csv(profile: Profile, rows, context: Context, target, institutions=None) -> ExportResult:
    """Write ``rows`` as CSV (`;`, UTF-8 with BOM, dates yyyy-mm-dd) to ``target`` (a path or
    a binary file), then the ``institutions``' rows (CST2021). Rows with a mandatory value
    empty or not in the dictionary are left out and counted, as in the spreadsheet (the
    page's check report lists them)."""
    result = ExportResult(profile=profile)
    if isinstance(target, (str, os.PathLike)):
        stream = open(target, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
    else:
        stream = io.TextIOWrapper(target, encoding="utf-8-sig", newline="", write_through=True)
    try:
        writer = CsvWriter(stream, delimiter=";")
        writer.writerow([column.label for column in profile.columns])
        compiled = Cells(profile.columns, field_names(profile), context)
        for values in rows:
            cells = compiled.of(values)
            gaps = compiled.gaps(cells)
            if gaps:
                name = f"{values[1] or ''} {values[2] or ''}".strip()
                result.incomplete.append((values[0], name, [problem for _i, problem in gaps]))
                continue
            writer.writerow(cells)
            result.exported += 1
        if profile.institution_columns and institutions is not None:
            compiled = Cells(profile.institution_columns, list(INSTITUTION_FIELDS), context)
            for values in institutions:
                cells = compiled.of(values)
                gaps = compiled.gaps(cells)
                if gaps:
                    result.incomplete.append((values[0], values[1], [p for _i, p in gaps]))
                    continue
                writer.writerow(cells)
                result.institutions += 1
    finally:
        if isinstance(stream, io.TextIOWrapper) and not isinstance(target, (str, os.PathLike)):
            stream.flush()
            stream.detach()
        else:
            stream.close()
    return result


def export_participants(
    project, profile_key: str, *, actor, full_sensitive: bool, target, progress=None
):
    """Export the project's participants in a profile; records an EXPORT audit entry.

    ``full_sensitive``: whole PESEL numbers and special-category answers, for an actor holding
    ``personal.export``; without it they are masked. ``progress``: a lider.jobs Progress, told
    how many rows are written (the background job's page shows it)."""
    profile = PROFILES[profile_key]
    with reading_replica():  # every read of the file from the replica, if there is one
        rows = rows_for(project, profile)
        if progress is not None:
            rows = progress.counting(rows, total=count_rows(project, profile))
        institutions = (
            institution_rows(project).iterator(chunk_size=CHUNK)
            if profile.institution_columns
            else None
        )
        context = context_for(project, full_sensitive=full_sensitive)
        if profile.file_format == "csv":
            result = write_csv(profile, rows, context, target, institutions)
        else:
            result = write_export(profile, rows, context, target, institutions)
    audit.record(
        actor,
        audit.Action.EXPORT,
        project,
        note=audit.Note(
            gettext_lazy(
                "%(profile)s: %(rows)s rows, %(incomplete)s incomplete, "
                "PESEL and special categories whole"
            )
            if full_sensitive
            else gettext_lazy(
                "%(profile)s: %(rows)s rows, %(incomplete)s incomplete, "
                "PESEL and special categories masked"
            ),
            profile=profile.name,
            rows=result.exported,
            incomplete=len(result.incomplete),
        ),
        project_id=project.pk,
    )
    return result


def export_filename(project, profile: Profile, today: datetime.date) -> str:
    return f"{profile.key}_{project.slug}_{today:%Y-%m-%d}.{profile.file_format}"


def incomplete_participants(project, profile_key: str) -> list[tuple[int, str, list[str]]]:
    """The check report without writing a file: (participant id, name, problems), one entry
    per participant (their rows' problems together)."""
    with reading_replica():
        return _incomplete_participants(project, PROFILES[profile_key])


def _incomplete_participants(project, profile: Profile) -> list[tuple[int, str, list[str]]]:
    context = context_for(project, full_sensitive=False)
    compiled = Cells(profile.columns, field_names(profile), context)
    found: dict[int, tuple[int, str, list[str]]] = {}
    for values in rows_for(project, profile):
        cells = compiled.of(values)
        gaps = compiled.gaps(cells)
        if gaps:
            entry = found.setdefault(
                values[0], (values[0], f"{values[1] or ''} {values[2] or ''}".strip(), [])
            )
            entry[2].extend(problem for _i, problem in gaps if problem not in entry[2])
    listed = list(found.values())
    if profile.institution_columns:
        compiled = Cells(profile.institution_columns, list(INSTITUTION_FIELDS), context)
        for values in institution_rows(project).iterator(chunk_size=CHUNK):
            cells = compiled.of(values)
            gaps = compiled.gaps(cells)
            if gaps:
                listed.append((values[0], values[1], [problem for _i, problem in gaps]))
    return listed
