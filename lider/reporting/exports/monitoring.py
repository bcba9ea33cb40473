"""The participant export in a monitoring profile (PEFS 2007, SL2014, …) as XLSX.

Only participants are exported: people whose path has started (the first attended session of
a task the project counts as participation, see lider.people.paths); attendees of meetings and
conferences only are not. SL2014 has one row per participant and form of support (each
enrolment in a participation task), with the support's start and end derived from attendance
and the planned sessions.

Rows are read with ``values_list(...).iterator(chunk_size=2000)`` and written with
:mod:`lider.core.spreadsheets` (xlsxwriter in ``constant_memory`` mode, every text as text),
so memory stays flat whatever the number of
participants. A participant whose mandatory data are incomplete is not exported (such a
person cannot be shown as a participant) and is listed on the second sheet, the check
report, with the columns that are missing.
"""

import datetime
import io
import os
from dataclasses import dataclass, field
from operator import itemgetter

from django.db.models import Case, Exists, F, Max, Min, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lider.core import audit
from lider.core.replica import reading_replica
from lider.core.sensitive import HIDDEN
from lider.core.spreadsheets import CsvWriter, Workbook
from lider.delivery.models import Attendance, Enrolment, Session
from lider.people import paths
from lider.people.models import InstitutionMember, Participant
from lider.reporting.exports.columns import (
    FIELDS,
    INSTITUTION_FIELDS,
    PARTICIPANT_FIELDS,
    SUPPORT_FIELDS,
    Context,
    Profile,
    degurba,
    field_names,
)
from lider.reporting.exports.profiles import PROFILES
from lider.territory.models import Unit
from lider.territory.urbanisation import degrees_of

CHUNK = 2000


@dataclass
class ExportResult:
    profile: Profile
    exported: int = 0
    institutions: int = 0  # rows of the institutional part, if the profile has one
    incomplete: list[tuple[int, str, list[str]]] = field(default_factory=list)  # id, name, gaps


def employer_of(project, person_ref: str):
    """The name of the institution taking part in the project that employs the person (the
    person reached through ``person_ref``, an OuterRef path), for the 'Nazwa instytucji' of an
    employee's row."""
    return Subquery(
        InstitutionMember.objects.filter(
            person=OuterRef(person_ref),
            relation=InstitutionMember.Relation.EMPLOYEE,
            institution__participations__project=project,
        )
        .order_by("institution__name", "institution_id")
        .values("institution__name")[:1]
    )


def participants_rows(project):
    """The project's individual participants as tuples in ``FIELDS`` order (one query)."""
    first_task_kind = (
        Enrolment.objects.filter(participant=OuterRef("pk"))
        .order_by("task__order", "task_id")
        .values("task__kind")[:1]
    )
    return (
        Participant.objects.filter(project=project, person__isnull=False, start_date__isnull=False)
        .filter(person__restriction__isnull=True)  # restricted (art. 18): left out
        .annotate(
            support_kind=Subquery(first_task_kind),
            employer_name=employer_of(project, "person_id"),
        )
        .order_by("person__last_name", "person__first_name", "pk")
        .values_list(*FIELDS.values())
    )


def support_rows(project):
    """One tuple per participant and form of support (each enrolment in a participation task
    with at least one attended session), in ``field_names`` order of a per-support profile
    (one query)."""
    attended = (
        Attendance.objects.filter(
            participant=OuterRef("participant_id"),
            session__task=OuterRef("task_id"),
            status__in=Attendance.ATTENDED,
        )
        .order_by("session__date")
        .values("session__date")[:1]
    )
    last_of_group = (
        Session.objects.filter(task=OuterRef("task_id"), group=OuterRef("group_id"))
        .order_by("-date")
        .values("date")[:1]
    )
    last_of_task = (
        Session.objects.filter(task=OuterRef("task_id")).order_by("-date").values("date")[:1]
    )
    return (
        Enrolment.objects.filter(
            paths.rule_of(project).q("task"),
            task__project=project,
            status__in=paths.PLANNED,
            participant__person__isnull=False,
            participant__start_date__isnull=False,
            participant__person__restriction__isnull=True,  # restricted (art. 18): left out
        )
        .annotate(
            support=F("task__kind"),
            support_start=Subquery(attended),
            support_planned_end=Coalesce(Subquery(last_of_group), Subquery(last_of_task)),
            support_status=F("status"),
            support_dropped_on=F("dropped_on"),
            employer=employer_of(project, "participant__person_id"),
        )
        # A form of support counts once received: an enrolment never attended is none.
        .filter(support_start__isnull=False)
        .order_by(
            "participant__person__last_name",
            "participant__person__first_name",
            "participant_id",
            "task__order",
            "task_id",
        )
        .values_list(
            *(f"participant__{path}" for path in PARTICIPANT_FIELDS.values()), *SUPPORT_FIELDS
        )
    )


def institution_rows(project):
    """The institutions taking part, in ``INSTITUTION_FIELDS`` order (one query).

    An institution attends no session itself: unless the office recorded its dates, its
    participation starts with its first employee's and ends with the last one's, once every
    employee who took part has ended."""
    employees = InstitutionMember.objects.filter(
        institution=OuterRef("institution_id"),
        relation=InstitutionMember.Relation.EMPLOYEE,
        person__participations__project=project,
        person__participations__start_date__isnull=False,
    )

    def employees_paths(aggregate, field):
        return Subquery(
            employees.annotate(_group=Value(1))
            .values("_group")
            .annotate(value=aggregate(f"person__participations__{field}"))
            .values("value")[:1]
        )

    still_going = employees.filter(person__participations__end_date__isnull=True)
    return (
        Participant.objects.filter(project=project, institution__isnull=False)
        .annotate(
            employees_supported=Exists(employees),
            institution_start=Coalesce(F("start_date"), employees_paths(Min, "start_date")),
            institution_end=Coalesce(
                F("end_date"),
                Case(
                    When(Exists(still_going), then=None),
                    default=employees_paths(Max, "end_date"),
                ),
            ),
        )
        .order_by("institution__name", "pk")
        .values_list(*INSTITUTION_FIELDS.values())
    )


def rows_for(project, profile: Profile):
    return support_rows(project) if profile.per_support else participants_rows(project)


def _degurba(project) -> dict[int, tuple[str, int]]:
    taking_part = Participant.objects.filter(project=project)
    gminas = Unit.objects.filter(
        Q(pk__in=taking_part.filter(person__isnull=False).values("person__gmina_id"))
        | Q(pk__in=taking_part.filter(institution__isnull=False).values("institution__gmina_id"))
    ).only("pk", "code", "gmina_type")
    return degrees_of(gminas)


def context_for(project, *, full_sensitive: bool) -> Context:
    return Context(
        contract_number=project.contract_number,
        degurba=_degurba(project),
        project_number=project.number,
        beneficiary=project.applicant.name,
        project_title=project.title,
        project_start=project.start_date,
        project_end=project.end_date,
        full_sensitive=full_sensitive,
    )


class NotInDictionary(str):
    """A value with no label in the profile's dictionary: a gap the check sheet names."""


def _in(dictionary, value):
    if value in (None, ""):
        return None
    found = dictionary.get(value)
    return NotInDictionary(value) if found is None else found


def _getters(profile: Profile, context: Context):
    return _column_getters(profile.columns, field_names(profile), context)


def _column_getters(columns, names, context: Context):
    """One function per column: (row tuple, row dict, context) → value. Special-category
    columns give "(hidden)" for any answer unless the context allows them whole."""
    getters = []
    for column in columns:
        source, dictionary = column.source, column.dictionary
        if isinstance(source, str):
            index = names.index(source)
            if dictionary is None:
                getter = lambda t, d, c, get=itemgetter(index): get(t)  # noqa: E731
            else:
                getter = lambda t, d, c, get=itemgetter(index), m=dictionary: _in(m, get(t))  # noqa: E731
        elif dictionary is None:
            getter = lambda t, d, c, f=source: f(d, c)  # noqa: E731
        else:
            getter = lambda t, d, c, f=source, m=dictionary: _in(m, f(d, c))  # noqa: E731
        if column.special and not context.full_sensitive:
            getter = _masked(getter)
        getters.append(getter)
    return getters


def column_letter(index: int) -> str:
    """A, B, …, Z, AA, … for a zero-based column index."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _gaps(columns, cells, as_dict) -> list[tuple[int, str]]:
    """(column index, problem) for each mandatory value that is empty or not in the
    dictionary; a gmina without a DEGURBA class says so."""
    gaps = []
    for i, column in enumerate(columns):
        required = column.mandatory or (column.required_if and column.required_if(as_dict))
        if not required and not isinstance(cells[i], NotInDictionary):
            continue
        value = cells[i]
        if isinstance(value, NotInDictionary):
            gaps.append(
                (
                    i,
                    _("%(label)s: not in the dictionary (%(value)s)")
                    % {"label": column.label, "value": str(value)[:50]},
                )
            )
        elif value in (None, ""):
            if column.source is degurba and as_dict.get("gmina"):
                gaps.append(
                    (
                        i,
                        _("%(label)s: gmina %(gmina)s has no class in the DEGURBA table")
                        % {"label": column.label, "gmina": as_dict["gmina"]},
                    )
                )
            else:
                gaps.append((i, column.label))
    return gaps


def _masked(getter):
    hidden = str(HIDDEN)

    def masked(t, d, c):
        return "" if getter(t, d, c) in (None, "") else hidden

    return masked


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
    names = field_names(profile)
    getters = _getters(profile, context)
    write_cells, write_check = sheet.write_row, check.write_row
    row_number = check_number = 0
    # PEFS 2007 lists the employees of supported institutions again on a sheet of their own,
    # after the institutions (kept until then: a subset of the participants).
    employees = [] if profile.employee_sheet else None
    for values in rows:
        as_dict = dict(zip(names, values, strict=True))
        cells = [get(values, as_dict, context) for get in getters]
        gaps = _gaps(profile.columns, cells, as_dict)
        if employees is not None and not gaps and as_dict.get("employer"):
            employees.append([as_dict["employer"], *cells])
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
        names = list(INSTITUTION_FIELDS)
        getters = _column_getters(profile.institution_columns, names, context)
        first_row = row_number if same_sheet else 0
        row_number = first_row
        for values in institutions:
            as_dict = dict(zip(names, values, strict=True))
            cells = [get(values, as_dict, context) for get in getters]
            gaps = _gaps(profile.institution_columns, cells, as_dict)
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
        names = field_names(profile)
        getters = _getters(profile, context)
        for values in rows:
            as_dict = dict(zip(names, values, strict=True))
            cells = [get(values, as_dict, context) for get in getters]
            gaps = _gaps(profile.columns, cells, as_dict)
            if gaps:
                name = f"{values[1] or ''} {values[2] or ''}".strip()
                result.incomplete.append((values[0], name, [problem for _i, problem in gaps]))
                continue
            writer.writerow(cells)
            result.exported += 1
        if profile.institution_columns and institutions is not None:
            names = list(INSTITUTION_FIELDS)
            getters = _column_getters(profile.institution_columns, names, context)
            for values in institutions:
                as_dict = dict(zip(names, values, strict=True))
                cells = [get(values, as_dict, context) for get in getters]
                gaps = _gaps(profile.institution_columns, cells, as_dict)
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
        rows = rows_for(project, profile).iterator(chunk_size=CHUNK)
        if progress is not None:
            rows = progress.counting(rows, total=rows_for(project, profile).count())
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
    getters = _getters(profile, context)
    names = field_names(profile)
    found: dict[int, tuple[int, str, list[str]]] = {}
    for values in rows_for(project, profile).iterator(chunk_size=CHUNK):
        as_dict = dict(zip(names, values, strict=True))
        cells = [get(values, as_dict, context) for get in getters]
        gaps = _gaps(profile.columns, cells, as_dict)
        if gaps:
            entry = found.setdefault(
                values[0], (values[0], f"{values[1] or ''} {values[2] or ''}".strip(), [])
            )
            entry[2].extend(problem for _i, problem in gaps if problem not in entry[2])
    listed = list(found.values())
    if profile.institution_columns:
        names = list(INSTITUTION_FIELDS)
        getters = _column_getters(profile.institution_columns, names, context)
        for values in institution_rows(project).iterator(chunk_size=CHUNK):
            as_dict = dict(zip(names, values, strict=True))
            cells = [get(values, as_dict, context) for get in getters]
            gaps = _gaps(profile.institution_columns, cells, as_dict)
            if gaps:
                listed.append((values[0], values[1], [problem for _i, problem in gaps]))
    return listed
