import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from django.utils.translation import gettext_lazy
from python_calamine import CalamineWorkbook

from lider.core.spreadsheets import CsvWriter, Workbook, csv_text, sheet_name
from tests.spreadsheets import HOSTILE_TEXTS, csv_cells_that_could_run, formula_cells, xlsx_texts

ROOT = Path(__file__).resolve().parents[2]


def workbook_bytes(rows, *, constant_memory=True) -> bytes:
    buffer = io.BytesIO()
    with Workbook(buffer, constant_memory=constant_memory) as book:
        sheet = book.add_sheet("Arkusz")
        sheet.write_header(0, ["Kolumna", "=B1"])
        for number, row in enumerate(rows, start=1):
            sheet.write_row(number, row)
    return buffer.getvalue()


@pytest.mark.parametrize("constant_memory", [True, False])
def test_workbook_writes_every_hostile_text_as_text(constant_memory):
    content = workbook_bytes(
        [[text, text] for text in HOSTILE_TEXTS], constant_memory=constant_memory
    )

    assert formula_cells(content) == []
    assert set(HOSTILE_TEXTS) <= xlsx_texts(content)
    assert "=B1" in xlsx_texts(content)


def test_workbook_writes_typed_values_with_their_types():
    aware = timezone.make_aware(datetime.datetime(2010, 3, 1, 23, 30), datetime.UTC)
    content = workbook_bytes(
        [
            [7, 2.5, Decimal("12.50"), datetime.date(2010, 3, 1), aware, True],
            [None, "", gettext_lazy("present"), Decimal("NaN"), "-1", "0042"],
        ]
    )
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()

    assert sheet[1][:4] == [7.0, 2.5, 12.5, datetime.date(2010, 3, 1)]
    # Aware datetimes are written in Warsaw time: 23:30 UTC is 00:30 the next day.
    assert sheet[1][4] == datetime.datetime(2010, 3, 2, 0, 30)
    assert sheet[1][5] is True
    assert sheet[2] == ["", "", str(gettext_lazy("present")), "NaN", "-1", "0042"]
    assert formula_cells(content) == []


def test_sheet_names_are_made_valid():
    assert sheet_name("Raport [2010/03]: *?") == "Raport  2010 03"
    assert sheet_name("x" * 40) == "x" * 31
    assert sheet_name("''") == "Arkusz"


def test_csv_prefixes_texts_that_could_start_a_formula():
    stream = io.StringIO(newline="")
    writer = CsvWriter(stream)
    writer.writerow(["Imię", "Nazwisko", "Wiek"])
    for text in HOSTILE_TEXTS:
        writer.writerow([text, f"{text}\r=3+3", -1])
    writer.writerow(["Anna", None, Decimal("2.5")])
    text = stream.getvalue()

    assert csv_cells_that_could_run(text) == []
    assert f'"\'{HOSTILE_TEXTS[0].replace(chr(34), chr(34) * 2)}"' in text
    assert text.splitlines()[-1] == '"Anna";"";"2.5"'
    assert csv_text("Anna") == "Anna"
    assert csv_text("\r=1") == "'\r=1"


def test_every_spreadsheet_is_written_by_the_one_writer():
    """No module but lider/core/spreadsheets.py writes XLSX or CSV itself."""
    writer = ROOT / "lider" / "core" / "spreadsheets.py"
    pattern = re.compile(
        r"^\s*(import xlsxwriter|from xlsxwriter)|csv\.(writer|DictWriter)\(", re.M
    )
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "lider").rglob("*.py")
        if path != writer and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
