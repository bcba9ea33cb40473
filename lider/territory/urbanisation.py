"""Eurostat's degree of urbanisation (DEGURBA) of Polish gminas: loading and reading.

Eurostat codes a Polish LAU by the GUS KTS code (9 digits: region, voivodeship, subregion,
powiat, gmina) in the 2012 and 2014 editions, and by the 7-digit TERC code from 2018 on. Both
are reduced to the TERC gmina code without its type digit (voivodeship + powiat + gmina).
"""

import csv
import io
from pathlib import Path

from django.db import transaction

BUNDLED = Path(__file__).resolve().parent / "data" / "degurba"
BUNDLED_EDITIONS = {
    2012: BUNDLED / "DEGURBA_LAU2_PL_2012.csv",
    2014: BUNDLED / "DGURBA_PT_2014_PL.csv",
}
CODE_COLUMNS = ("LAU2_NAT_CODE", "NSI", "LAU CODE", "LAU_CODE")
DEGREE_COLUMNS = ("DEGURBA", "DGURBA_CLA", "DGURBA", "DEG_URBA")
MAX_ROWS = 20_000
# Warsaw's districts (8) and the former delegations of large cities (9) are parts of one
# city gmina (powiat + "01"), which is what Eurostat classifies.
CITY_PART_TYPES = {"8", "9"}


class UrbanisationFileError(ValueError):
    """The file is not a DEGURBA table this loader understands; the message says why."""


def gmina_key(code: str) -> str | None:
    """The TERC gmina code without type digit for a Eurostat LAU code, or None if not one."""
    code = code.strip().upper().removeprefix("PL")
    if not (code.isascii() and code.isdigit()):
        return None
    if len(code) == 9:  # KTS: region · voivodeship · subregion · powiat · gmina
        return code[1:3] + code[5:9]
    if len(code) in (6, 7):  # TERC, with or without the type digit
        return code[:6]
    return None


def key_of_unit(code: str, gmina_type: str) -> str:
    """The key under which a TERC gmina (or part of one) finds its class."""
    return code[:4] + "01" if gmina_type in CITY_PART_TYPES else code[:6]


def read_table(path: Path) -> list[tuple[str, str]]:
    """(gmina key, degree) pairs of a DEGURBA CSV (`,` or `;`) or XLSX; raises on any bad row."""
    rows = _rows(path)
    header = [str(cell).strip().upper() for cell in next(rows, [])]
    code_at = next((header.index(c) for c in CODE_COLUMNS if c in header), None)
    degree_at = next((header.index(c) for c in DEGREE_COLUMNS if c in header), None)
    if code_at is None or degree_at is None:
        raise UrbanisationFileError(
            f"Brak kolumny z kodem LAU ({', '.join(CODE_COLUMNS)}) "
            f"lub z klasą ({', '.join(DEGREE_COLUMNS)})."
        )
    pairs, errors = {}, []
    for number, row in enumerate(rows, start=2):
        if number > MAX_ROWS:
            raise UrbanisationFileError(f"Plik ma więcej niż {MAX_ROWS} wierszy.")
        if not any(str(cell).strip() for cell in row):
            continue
        code, degree = str(row[code_at]).strip(), str(row[degree_at]).strip().removesuffix(".0")
        key = gmina_key(code)
        if key is None or degree not in {"1", "2", "3"}:
            errors.append(f"wiersz {number}: kod {code!r:.20}, klasa {degree!r:.10}")
        elif pairs.setdefault(key, degree) != degree:
            errors.append(f"wiersz {number}: gmina {key} ma już klasę {pairs[key]}")
    if errors:
        raise UrbanisationFileError("Błędne wiersze: " + "; ".join(errors[:20]))
    return sorted(pairs.items())


def _rows(path: Path):
    if path.suffix.lower() in (".xlsx", ".xls", ".ods"):
        from python_calamine import CalamineWorkbook

        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        return iter(sheet.iter_rows())
    text = path.read_text(encoding="utf-8-sig")
    delimiter = ";" if text.split("\n", 1)[0].count(";") else ","
    return iter(csv.reader(io.StringIO(text), delimiter=delimiter))


def load_edition(path: Path, edition: int, *, model=None) -> int:
    """Store one edition's classes (all or nothing); returns how many were added.

    Idempotent: a class already stored for (gmina, edition) is kept as it is.
    `model` lets a data migration pass its historical model.
    """
    if model is None:
        from lider.territory.models import Urbanisation as model

    pairs = read_table(path)
    stored = set(model.objects.filter(edition=edition).values_list("gmina_code", flat=True))
    batch = [
        model(gmina_code=key, edition=edition, degree=degree)
        for key, degree in pairs
        if key not in stored
    ]
    with transaction.atomic():
        model.objects.bulk_create(batch, batch_size=1000)
    return len(batch)


def degrees_of(units, *, edition: int | None = None) -> dict[int, tuple[str, int]]:
    """{unit id: (degree, edition)} for gmina units, from `edition` or the newest holding each.

    Units without a class in that edition are left out: callers report them, never guess.
    """
    from lider.territory.models import Urbanisation

    keys = {unit.pk: key_of_unit(unit.code, unit.gmina_type) for unit in units}
    found = Urbanisation.objects.filter(gmina_code__in=set(keys.values()))
    if edition is not None:
        found = found.filter(edition=edition)
    newest = {}
    for key, degree, year in found.order_by("edition").values_list(
        "gmina_code", "degree", "edition"
    ):
        newest[key] = (degree, year)
    return {pk: newest[key] for pk, key in keys.items() if key in newest}


def gminas_missing(edition: int):
    """Gminas of the newest TERC register that `edition` does not classify."""
    from lider.territory.models import Unit, Urbanisation

    newest = Unit.objects.order_by("-reference_date").values_list("reference_date", flat=True)[:1]
    gminas = Unit.objects.filter(level=Unit.Level.GMINA, reference_date__in=newest).exclude(
        gmina_type=Unit.GminaType.URBAN_RURAL
    )
    known = set(Urbanisation.objects.filter(edition=edition).values_list("gmina_code", flat=True))
    return [
        unit
        for unit in gminas.order_by("code")
        if key_of_unit(unit.code, unit.gmina_type) not in known
    ]
