"""The machinery of the monitoring export profiles: the fields fetched per participant and
institution, the export context, columns and profiles, and the value helpers the profiles share.

Each profile is data in a module of its own (``pefs2007``, ``sl2014``, ``cst2021``); ``profiles``
lists them. Labels follow domain.md §1; spelling, dashes and case matter to the importing systems.
"""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from lider.core.sensitive import mask_pesel

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


def constant(value: str) -> Callable[[dict, Context], str]:
    return lambda row, context: value


def from_context(name: str) -> Callable[[dict, Context], Any]:
    return lambda row, context: getattr(context, name)


YES_NO_BOOL = {True: "TAK", False: "NIE"}
TAK_NIE_BOOL = {True: "Tak", False: "Nie"}
