"""The participant export in a monitoring profile (PEFS 2007, SL2014, …) as XLSX.

Rows are read with ``values_list(...).iterator(chunk_size=2000)`` and written with
:mod:`lider.core.spreadsheets` (xlsxwriter in ``constant_memory`` mode, every text as text),
so memory stays flat whatever the number of
participants. A participant whose mandatory data are incomplete is not exported (such a
person cannot be shown as a participant) and is listed on the second sheet, the check
report, with the columns that are missing.
"""

import datetime
from dataclasses import dataclass, field
from operator import itemgetter

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lider.core import audit
from lider.core.sensitive import HIDDEN
from lider.core.spreadsheets import Workbook
from lider.delivery.models import Enrolment
from lider.people.models import Participant
from lider.reporting.exports.profiles import FIELDS, PROFILES, Context, Profile

CHUNK = 2000


@dataclass
class ExportResult:
    profile: Profile
    exported: int = 0
    incomplete: list[tuple[int, str, list[str]]] = field(default_factory=list)  # id, name, gaps


def participants_rows(project):
    """The project's individual participants as tuples in ``FIELDS`` order (one query)."""
    first_task_kind = (
        Enrolment.objects.filter(participant=OuterRef("pk"))
        .order_by("task__order", "task_id")
        .values("task__kind")[:1]
    )
    return (
        Participant.objects.filter(project=project, person__isnull=False)
        .annotate(support_kind=Subquery(first_task_kind))
        .order_by("person__last_name", "person__first_name", "pk")
        .values_list(*FIELDS.values())
    )


def context_for(project, *, full_sensitive: bool) -> Context:
    return Context(
        project_number=project.number,
        beneficiary=project.applicant.name,
        project_title=project.title,
        project_start=project.start_date,
        project_end=project.end_date,
        full_sensitive=full_sensitive,
    )


def _getters(profile: Profile, context: Context):
    """One function per column: (row tuple, row dict, context) → value. Special-category
    columns give "(hidden)" for any answer unless the context allows them whole."""
    names = list(FIELDS)
    getters = []
    for column in profile.columns:
        source, dictionary = column.source, column.dictionary
        if isinstance(source, str):
            index = names.index(source)
            if dictionary is None:
                getter = lambda t, d, c, get=itemgetter(index): get(t)  # noqa: E731
            else:
                getter = lambda t, d, c, get=itemgetter(index), m=dictionary: m.get(get(t))  # noqa: E731
        elif dictionary is None:
            getter = lambda t, d, c, f=source: f(d, c)  # noqa: E731
        else:
            getter = lambda t, d, c, f=source, m=dictionary: m.get(f(d, c))  # noqa: E731
        if column.special and not context.full_sensitive:
            getter = _masked(getter)
        getters.append(getter)
    return getters


def _masked(getter):
    hidden = str(HIDDEN)

    def masked(t, d, c):
        return "" if getter(t, d, c) in (None, "") else hidden

    return masked


def write_export(profile: Profile, rows, context: Context, target) -> ExportResult:
    """Write ``rows`` (tuples in FIELDS order) to ``target`` (a path or a binary file)."""
    result = ExportResult(profile=profile)
    workbook = Workbook(target)
    sheet = workbook.add_sheet(profile.sheet)
    check = workbook.add_sheet(_("Check report"))
    sheet.write_header(0, [column.label for column in profile.columns])
    sheet.freeze_panes(1, 0)
    check.write_header(0, [_("Participant id"), _("Full name"), _("Missing mandatory data")])
    names = list(FIELDS)
    getters = _getters(profile, context)
    write_cells, write_check = sheet.write_row, check.write_row
    mandatory = [i for i, column in enumerate(profile.columns) if column.mandatory]
    labels = [column.label for column in profile.columns]
    needs_dict = any(not isinstance(column.source, str) for column in profile.columns)
    row_number = check_number = 0
    for values in rows:
        as_dict = dict(zip(names, values, strict=True)) if needs_dict else None
        cells = [get(values, as_dict, context) for get in getters]
        gaps = [labels[i] for i in mandatory if cells[i] in (None, "")]
        if gaps:
            check_number += 1
            name = f"{values[1] or ''} {values[2] or ''}".strip()
            write_check(check_number, [values[0], name, "; ".join(gaps)])
            result.incomplete.append((values[0], name, gaps))
            continue
        row_number += 1
        write_cells(row_number, cells)
    result.exported = row_number
    workbook.close()
    return result


def export_participants(project, profile_key: str, *, actor, full_sensitive: bool, target):
    """Export the project's participants in a profile; records an EXPORT audit entry.

    ``full_sensitive``: whole PESEL numbers and special-category answers, for an actor holding
    ``personal.export``; without it they are masked."""
    profile = PROFILES[profile_key]
    rows = participants_rows(project).iterator(chunk_size=CHUNK)
    result = write_export(
        profile, rows, context_for(project, full_sensitive=full_sensitive), target
    )
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
    return f"{profile.key}_{project.slug}_{today:%Y-%m-%d}.xlsx"


def incomplete_participants(project, profile_key: str) -> list[tuple[int, str, list[str]]]:
    """The check report without writing a file: (participant id, name, missing columns)."""
    profile = PROFILES[profile_key]
    context = context_for(project, full_sensitive=False)
    getters = _getters(profile, context)
    names = list(FIELDS)
    mandatory = [(i, column.label) for i, column in enumerate(profile.columns) if column.mandatory]
    found = []
    for values in participants_rows(project).iterator(chunk_size=CHUNK):
        as_dict = dict(zip(names, values, strict=True))
        gaps = [
            label for i, label in mandatory if getters[i](values, as_dict, context) in (None, "")
        ]
        if gaps:
            found.append((values[0], f"{values[1] or ''} {values[2] or ''}".strip(), gaps))
    return found
