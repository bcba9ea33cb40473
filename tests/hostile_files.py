# ruff: noqa: E501  (the parts of a spreadsheet, as Excel writes them)
"""Small spreadsheets built to hurt a reader: a few KB each, generated here, not stored."""

import io
import zipfile

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)  # fmt: skip
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)  # fmt: skip
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Arkusz1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)  # fmt: skip


def column(index: int) -> str:
    name, index = "", index + 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def xlsx(cells: dict[tuple[int, int], str | int], *, padding: int = 0) -> bytes:
    """An XLSX whose first sheet holds `cells` ((row, column) 0-based → inline text or a
    number), with `padding` bytes of blanks inside the sheet's XML (they pack to almost
    nothing)."""
    rows: dict[int, list] = {}
    for (r, c), value in sorted(cells.items()):
        at = f"{column(c)}{r + 1}"
        rows.setdefault(r, []).append(
            f'<c r="{at}"><v>{value}</v></c>'
            if isinstance(value, int)
            else f'<c r="{at}" t="inlineStr"><is><t>{value}</t></is></c>'
        )
    data = "".join(f'<row r="{r + 1}">{"".join(cs)}</row>' for r, cs in rows.items())
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{' ' * padding}{data}</sheetData></worksheet>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


def wide(rows: int = 200) -> bytes:
    """A few KB that spread over all 16,384 columns of `rows` rows (a dense grid to a reader)."""
    return xlsx({**{(r, 0): "x" for r in range(rows)}, (0, 16383): "y"})


def bomb(megabytes: int = 40) -> bytes:
    """A sheet of one cell and `megabytes` of blanks: tens of KB packed."""
    return xlsx({(0, 0): "Imię"}, padding=megabytes * 1024 * 1024)
