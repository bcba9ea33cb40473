"""The machinery of the monitoring export profiles: the fields fetched per participant and
institution, the export context, columns and profiles, the value helpers the profiles share,
and :class:`Cells`, the columns compiled once per file into a row's cells and its gaps.

The inner loop of an export runs once per row and cell (7.5 million cells for SL2014 at
100,000 participants), so :class:`Cells` computes the values the same on every row
(constants, the project block) once, reads fields by position, lets the functions of the row
read it by name through one reused view (no dict per row) and checks only the columns that
can fail.

Each profile is data in a module of its own (``pefs2007``, ``sl2014``, ``cst2021``); ``profiles``
lists them. Labels follow domain.md §1; spelling, dashes and case matter to the importing systems.
"""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from lider.core.sensitive import HIDDEN, mask_pesel

# Fields fetched for every participant (values_list, one query); keys of the row dict.
FIELDS = {
    "id": "pk",
    "first_name": "person__first_name",
    "last_name": "person__last_name",
    "pesel": "person__pesel",
    "sex": "person__sex",
    "birth_date": "person__birth_date",
    "education": "person__education",
    "cares": "person__cares_for_dependants",
    "street": "person__street",
    "house": "person__house_number",
    "flat": "person__flat_number",
    "city": "person__city",
    "postal_code": "person__postal_code",
    "gmina_type": "person__gmina__gmina_type",
    "gmina": "person__gmina__name",
    "gmina_id": "person__gmina_id",
    "county": "person__gmina__parent__name",
    "voivodeship": "person__gmina__parent__parent__name",
    "phone": "person__phone",
    "email": "person__email",
    "start": "start_date",
    "end": "end_date",
    "labour_status": "person__labour_status",
    "labour_detail": "person__labour_detail",
    "completed": "completed_as_planned",
    "disability": "person__disability",
    "minority": "person__minority_or_migrant",
    "homeless": "person__homeless",
    "disadvantage": "person__other_disadvantage",
    "exit_situation": "exit_situation",
    "later_situation": "later_situation",
    "support": "support_kind",  # annotated: the kind of the participant's first task
    # annotated: the institution taking part in the project that employs the person, if any
    "employer": "employer_name",
}
# Profiles with one row per participant and form of support read these instead of "support":
# annotated on each enrolment in a participation task (see monitoring.support_rows).
SUPPORT_FIELDS = (
    "support",
    "support_start",
    "support_planned_end",
    "support_status",
    "support_dropped_on",
    "employer",
)
PARTICIPANT_FIELDS = {
    key: path for key, path in FIELDS.items() if key not in {"support", "employer"}
}


# Fields fetched for every institution taking part (values_list, one query).
INSTITUTION_FIELDS = {
    "id": "pk",
    "name": "institution__name",
    "nip": "institution__nip",
    "kind": "institution__kind",
    "street": "institution__street",
    "house": "institution__house_number",
    "flat": "institution__flat_number",
    "city": "institution__city",
    "postal_code": "institution__postal_code",
    "gmina_type": "institution__gmina__gmina_type",
    "county": "institution__gmina__parent__name",
    "voivodeship": "institution__gmina__parent__parent__name",
    "gmina": "institution__gmina__name",
    "gmina_id": "institution__gmina_id",
    "phone": "institution__phone",
    "email": "institution__email",
    "website": "institution__website",
    # annotated: as the office recorded them, else from its employees' paths (the first
    # start; the last end once every employee's path has ended)
    "start": "institution_start",
    "end": "institution_end",
    "employees": "employees_supported",  # annotated: any employee is a participant
}


def field_names(profile) -> list[str]:
    if profile.per_support:
        return [*PARTICIPANT_FIELDS, *SUPPORT_FIELDS]
    return list(FIELDS)


@dataclass(frozen=True)
class Context:
    project_number: str  # the application number (WND-…)
    beneficiary: str
    project_title: str
    project_start: datetime.date
    project_end: datetime.date
    # Whole PESEL numbers and special-category answers (the actor holds personal.export);
    # otherwise PESEL keeps only the birth date and special-category cells read "(hidden)".
    full_sensitive: bool
    contract_number: str = ""  # the funding contract's number (UDA-…)
    reporting_period: str = ""
    # {gmina unit id: (DEGURBA class, edition)} for the participants' gminas; a gmina
    # without a class is missing here and reported in the check sheet, never guessed.
    degurba: Mapping[int, tuple[str, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Column:
    label: str
    # A field's name (a key of the row), or a function of the row (read by field name:
    # ``row["pesel"]``) and the context; ``constant``/``from_context`` for a value the same
    # on every row.
    source: str | Callable[[dict, Context], Any]
    mandatory: bool = False
    dictionary: Mapping[str, str] | None = None
    # Special-category data (health, disability, minority or migrant, homelessness, other
    # disadvantage): exported whole only to roles holding personal.export.
    special: bool = False
    # Mandatory only for some rows (e.g. "completed as planned" once participation ended).
    required_if: Callable[[dict], bool] | None = None


@dataclass(frozen=True)
class Profile:
    key: str
    name: str
    sheet: str
    columns: tuple[Column, ...]
    # One row per participant and form of support (SL2014), or one per participant (PEFS).
    per_support: bool = False
    title: str = ""
    # "xlsx" (data, check and about sheets) or "csv" (`;`, UTF-8 with BOM, data only).
    file_format: str = "xlsx"
    # The institutional part (PEFS 2007): its own sheet, one row per institution.
    institution_sheet: str = ""
    institution_columns: tuple[Column, ...] = ()
    # PEFS 2007 (v2.0): the employees of supported institutions who took part, on a sheet of
    # their own: the institution's name, then the individual part's columns.
    employee_sheet: str = ""


# Value helpers


def age_at_start(row: dict, context: Context) -> int | None:
    born, start = row["birth_date"], row["start"]
    if born is None or start is None or born > start:
        return None  # no age rather than a negative one: the check report lists it as missing
    return start.year - born.year - ((start.month, start.day) < (born.month, born.day))


def pesel(row: dict, context: Context) -> str:
    value = row["pesel"] or ""
    return value if context.full_sensitive else mask_pesel(value)


RURAL_TYPES = {"2", "5"}
URBAN_TYPES = {"1", "4", "8", "9"}


def area_pefs(row: dict, context: Context) -> str | None:
    if row["gmina_type"] in RURAL_TYPES:
        return "wiejski"
    if row["gmina_type"] in URBAN_TYPES:
        return "miejski"
    return None


def voivodeship(row: dict, context: Context) -> str | None:
    """TERC writes voivodeships in capitals; the forms use lower case ("śląskie")."""
    return (row["voivodeship"] or "").lower() or None


def degurba(row: dict, context: Context) -> str | None:
    found = context.degurba.get(row["gmina_id"])
    return found[0] if found else None


def support_end(row: dict, context: Context):
    """The end of one form of support: the day of dropping out of it, or its last planned
    session once the participant's path has ended (never after the path's end)."""
    if row["support_status"] == "dropped":
        return row["support_dropped_on"]
    end = row["end"]
    if end is None:
        return None
    planned = row["support_planned_end"]
    return min(planned, end) if planned else end


def ended(row: dict) -> bool:
    return row["end"] is not None


class Fixed:
    """A source whose value is the same on every row of a file (a constant, or a value of the
    context): the writer computes it once per file, not once per row."""

    __slots__ = ("of_context",)

    def __init__(self, of_context: Callable[[Context], Any]):
        self.of_context = of_context

    def __call__(self, row: dict, context: Context) -> Any:
        return self.of_context(context)


def constant(value: str) -> Fixed:
    return Fixed(lambda context: value)


def from_context(name: str) -> Fixed:
    return Fixed(lambda context: getattr(context, name))


YES_NO_BOOL = {True: "TAK", False: "NIE"}
TAK_NIE_BOOL = {True: "Tak", False: "Nie"}


# Cells: the columns compiled once per file


class NotInDictionary(str):
    """A value with no label in the profile's dictionary: a gap the check sheet names."""


class RowView:
    """A row tuple read by field name (``row["pesel"]``), for the columns that are functions
    of the row: one view per file, pointed at each row in turn (no dict per row)."""

    __slots__ = ("index", "values")

    def __init__(self, names):
        self.index = {name: i for i, name in enumerate(names)}
        self.values = ()

    def __getitem__(self, name):
        return self.values[self.index[name]]

    def get(self, name, default=None):
        i = self.index.get(name)
        return default if i is None else self.values[i]


def _in_dictionary(dictionary, get):
    def label(values, row):
        value = get(values, row)
        if value is None or value == "":
            return None
        found = dictionary.get(value)
        return NotInDictionary(value) if found is None else found

    return label


def _masked(get):
    hidden = str(HIDDEN)

    def masked(values, row):
        value = get(values, row)
        return "" if value is None or value == "" else hidden

    return masked


def _empty(value) -> bool:
    return value is None or value == ""


class Cells:
    """The cells of a profile's columns, compiled once per file. Special-category columns
    give "(hidden)" for any answer unless the context allows them whole.

    ``of(values)`` gives a row's cells (a new list); ``gaps(cells)`` the mandatory values of
    that row that are empty or not in the dictionary (checked after ``of``, same row)."""

    def __init__(self, columns, names, context: Context):
        self.columns = columns
        self.context = context
        self.row = row = RowView(names)
        template = []
        getters = []  # (position, function of (values, row))
        for position, column in enumerate(columns):
            source, dictionary = column.source, column.dictionary
            if isinstance(source, Fixed) and column.required_if is None:
                value = source(row, context)
                if dictionary is not None:
                    value = _in_dictionary(dictionary, lambda v, r, x=value: x)(None, row)
                if column.special and not context.full_sensitive:
                    value = "" if _empty(value) else str(HIDDEN)
                template.append(value)
                continue
            if isinstance(source, str):
                index = row.index[source]
                get = lambda values, row, i=index: values[i]  # noqa: E731
            else:
                get = lambda values, row, f=source, c=context: f(row, c)  # noqa: E731
            if dictionary is not None:
                get = _in_dictionary(dictionary, get)
            if column.special and not context.full_sensitive:
                get = _masked(get)
            template.append(None)
            getters.append((position, get))
        self.template = template
        self.getters = tuple(getters)
        # Only the columns that can fail are checked per row; a column the same on every row
        # that fails makes every row fail (its gap is found once, here).
        fixed = {position for position, _get in getters} ^ set(range(len(columns)))
        self.always_failing = bool(self._gaps(template, only=fixed))
        per_row = [i for i in range(len(columns)) if i not in fixed]
        self.mandatory = tuple(i for i in per_row if columns[i].mandatory)
        self.conditional = tuple(
            (i, columns[i].required_if)
            for i in per_row
            if columns[i].required_if and not columns[i].mandatory
        )
        self.in_dictionary = tuple(
            i
            for i in per_row
            if columns[i].dictionary is not None
            and not columns[i].mandatory
            and not columns[i].required_if
            and (context.full_sensitive or not columns[i].special)
        )

    def of(self, values) -> list:
        self.row.values = values
        cells = self.template.copy()
        row = self.row
        for position, get in self.getters:
            cells[position] = get(values, row)
        return cells

    def gaps(self, cells) -> list[tuple[int, str]]:
        """(column index, problem) for each mandatory value that is empty or not in the
        dictionary; a gmina without a DEGURBA class says so. Most rows have none: they are
        told apart by a few comparisons before any message is made."""
        if self.always_failing:
            return self._gaps(cells)
        for i in self.mandatory:
            value = cells[i]
            if value is None or value == "" or value.__class__ is NotInDictionary:
                return self._gaps(cells)
        for i in self.in_dictionary:
            if cells[i].__class__ is NotInDictionary:
                return self._gaps(cells)
        for i, required_if in self.conditional:
            value = cells[i]
            if value.__class__ is NotInDictionary or (
                (value is None or value == "") and required_if(self.row)
            ):
                return self._gaps(cells)
        return []

    def _gaps(self, cells, only=None) -> list[tuple[int, str]]:
        row = self.row
        gaps = []
        for i, column in enumerate(self.columns):
            if only is not None and i not in only:
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
                continue
            required = column.mandatory or (column.required_if and column.required_if(row))
            if not required or not _empty(value):
                continue
            if column.source is degurba and row.get("gmina"):
                gaps.append(
                    (
                        i,
                        _("%(label)s: gmina %(gmina)s has no class in the DEGURBA table")
                        % {"label": column.label, "gmina": row["gmina"]},
                    )
                )
            else:
                gaps.append((i, column.label))
        return gaps
