"""Reading back the spreadsheets Lider writes, to check that no text became a formula.

An XLSX is a zip of XML parts; a formula is an ``<f>`` element in a worksheet part. This reads
the parts themselves (no spreadsheet library in between that might hide a formula behind its
cached value)."""

import csv
import io
import re
import zipfile

# Texts a user can type that a spreadsheet program would run (OWASP, "CSV Injection").
HOSTILE_TEXTS = ['=HYPERLINK("http://x")', "+1", "-1+2", "@SUM(A1)", "=1+1", "\t=2+2"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")  # a number we wrote ourselves, e.g. -1


def formula_cells(content: bytes) -> list[str]:
    """Every ``<f>`` element in every worksheet of an XLSX file (empty: no formula)."""
    found = []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert sheets, "not an XLSX workbook: no worksheet parts"
        for name in sheets:
            xml = archive.read(name).decode("utf-8")
            found += [f"{name}: {m}" for m in re.findall(r"<f[ >].*?</f>|<f/>", xml)]
    return found


def xlsx_texts(content: bytes) -> set[str]:
    """Every text of every cell (shared strings and inline strings), unescaped."""
    from xml.sax.saxutils import unescape

    texts = set()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml":
                xml = archive.read(name).decode("utf-8")
                for text in re.findall(r"<t(?: [^>]*)?>(.*?)</t>", xml, flags=re.S):
                    texts.add(unescape(text, {"&quot;": '"'}))
    return texts


def csv_cells_that_could_run(text: str, delimiter: str = ";") -> list[str]:
    """The cells of a CSV text that a spreadsheet program would read as a formula."""
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [
        cell
        for row in rows
        for cell in row
        if cell.startswith(FORMULA_START) and not NUMBER.fullmatch(cell)
    ]
