"""The one writer of every spreadsheet Lider produces (XLSX and CSV): a text is always text.

A name such as ``=HYPERLINK("http://x")``, ``+1``, ``-1+2`` or ``@SUM(A1)`` typed into a form
must never become a live formula (or a link, or a number) in a file an office opens in a
spreadsheet program. So:

* XLSX: :class:`Workbook` wraps xlsxwriter and its sheets write every cell with the typed
  writers (``write_string`` for text, ``write_number``, ``write_datetime``, ``write_boolean``);
  nothing goes through xlsxwriter's guessing ``write``/``write_row``, and the workbook is opened
  with ``strings_to_formulas``/``strings_to_urls``/``strings_to_numbers`` off as a second
  guard. Constant-memory mode (rows streamed to disk as they are written) is the default.
* CSV: :class:`CsvWriter` prefixes a text that starts with ``=``, ``+``, ``-``, ``@``, a tab or
  a carriage return with an apostrophe, and quotes every field (OWASP, "CSV Injection").

Values: ``None`` and ``""`` leave the cell empty; ``int``/``float``/``Decimal`` are numbers
(a non-finite one is written as text); dates and datetimes use the workbook's date format
(aware datetimes in the local time zone); ``bool`` is a boolean; anything else (lazy
translations, choices) is written as its text.
"""

import csv
import datetime
import decimal
import math

import xlsxwriter
from django.utils import timezone

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
SHEET_NAME_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"

_NUMBERS = frozenset({int, float, decimal.Decimal})


def csv_text(value: str) -> str:
    """A text for a CSV cell: an apostrophe in front when it could start a formula."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


def sheet_name(name) -> str:
    """A valid sheet name: no ``[]:*?/\\``, at most 31 characters, never empty."""
    name = str(name).translate(SHEET_NAME_FORBIDDEN).strip("' ")[:31]
    return name or "Arkusz"


class Workbook:
    """An XLSX file being written; use as a context manager or call :meth:`close`.

    ``target`` is a path or a binary file object. ``constant_memory`` keeps memory flat: rows
    must then be written top to bottom, each row's cells in one go.
    """

    def __init__(self, target, *, constant_memory: bool = True, date_format="yyyy-mm-dd"):
        self.book = xlsxwriter.Workbook(
            target,
            {
                "constant_memory": constant_memory,
                "in_memory": False,
                "default_date_format": date_format,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        self.bold = self.book.add_format({"bold": True})

    def add_sheet(self, name) -> "Sheet":
        return Sheet(self.book.add_worksheet(sheet_name(name)), bold=self.bold)

    def add_format(self, properties: dict):
        return self.book.add_format(properties)

    def close(self) -> None:
        self.book.close()

    def __enter__(self) -> "Workbook":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Sheet:
    """One worksheet. ``write_row(row, cells, cell_format=None)`` writes a row of values,
    each with its typed writer; :meth:`write_header` writes bold labels."""

    def __init__(self, worksheet, *, bold=None):
        self.worksheet = worksheet
        self.bold = bold
        self.write_row = _row_writer(worksheet)

    def write_header(self, row: int, labels, *, column: int = 0) -> None:
        write_string = self.worksheet.write_string
        for offset, label in enumerate(labels):
            if label not in (None, ""):
                write_string(row, column + offset, str(label), self.bold)

    def write_text(self, row: int, column: int, value, cell_format=None) -> None:
        if value not in (None, ""):
            self.worksheet.write_string(row, column, str(value), cell_format)

    def set_column(self, first: int, last: int, width: float) -> None:
        self.worksheet.set_column(first, last, width)

    def freeze_panes(self, row: int, column: int) -> None:
        self.worksheet.freeze_panes(row, column)


def _row_writer(worksheet):
    """The inner loop of every export, kept lean: one type lookup and one call per cell."""
    write_string, write_number = worksheet.write_string, worksheet.write_number
    write_datetime, write_boolean = worksheet.write_datetime, worksheet.write_boolean
    numbers = _NUMBERS
    date, moment = datetime.date, datetime.datetime

    def write_row(row: int, cells, cell_format=None) -> None:
        for column, value in enumerate(cells):
            if value is None or value == "":
                continue
            kind = type(value)
            if kind is str:
                write_string(row, column, value, cell_format)
            elif kind is int or (kind in numbers and math.isfinite(value)):
                write_number(row, column, value, cell_format)
            elif kind is date:
                write_datetime(row, column, value, cell_format)
            elif kind is moment:
                if value.tzinfo is not None:
                    value = timezone.localtime(value).replace(tzinfo=None)
                write_datetime(row, column, value, cell_format)
            elif kind is bool:
                write_boolean(row, column, value, cell_format)
            else:
                write_string(row, column, str(value), cell_format)

    return write_row


class CsvWriter:
    """CSV rows on a text stream (open it with ``newline=""``); every field quoted, every text
    that could start a formula prefixed with an apostrophe."""

    def __init__(self, stream, *, delimiter: str = ";"):
        self._writer = csv.writer(stream, delimiter=delimiter, quoting=csv.QUOTE_ALL)

    def writerow(self, cells) -> None:
        self._writer.writerow([_csv_cell(value) for value in cells])

    def writerows(self, rows) -> None:
        for cells in rows:
            self.writerow(cells)


def _csv_cell(value) -> str:
    if value is None:
        return ""
    kind = type(value)
    if kind is int or kind is float or kind is decimal.Decimal:
        return str(value)
    if kind is bool:
        return "1" if value else "0"
    if kind is datetime.datetime:
        if value.tzinfo is not None:
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if kind is datetime.date:
        return value.isoformat()
    return csv_text(str(value))
