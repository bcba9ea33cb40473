"""The child process of `lider.core.table_reader`: reads one spreadsheet within limits.

Run as a script (`python -I -S _table_child.py LIMITS`), not imported: it needs nothing of Lider
or Django, starts in a few tens of milliseconds and runs under its own memory and CPU limits,
so a file built to exhaust memory or time kills this process, never the server.

stdin: the file. argv[1]: JSON {"kind", "rows", "columns", "cell", "characters", "memory",
"cpu", "chunk", "path": where python_calamine is installed}. stdout: frames, each a 4-byte
big-endian length and a marshal of ("size", rows in the sheet), ("rows", up to `chunk` rows of
strings), …, then one last ("ok",) or ("error", code, {params}). Rows leave as they are
read, so neither this process nor the importing one holds the whole sheet as Python values
(the file stays bounded as before).
"""

import csv
import datetime
import io
import json
import marshal
import resource
import struct
import sys


class Refused(Exception):
    def __init__(self, code: str, **params):
        super().__init__(code)
        self.code, self.params = code, params


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _check_row(row: list[str], number: int, limits: dict) -> int:
    """The row's characters; refused if a cell is too long, holds a NUL or the row is too
    wide."""
    if len(row) > limits["columns"]:
        raise Refused("columns", limit=limits["columns"], count=len(row))
    if row and max(map(len, row)) > limits["cell"]:
        column = next(i for i, value in enumerate(row) if len(value) > limits["cell"])
        raise Refused("cell", row=number, column=column, limit=limits["cell"])
    joined = "".join(row)
    if "\x00" in joined:  # no database keeps it in a text (PostgreSQL refuses the row)
        column = next(i for i, value in enumerate(row) if "\x00" in value)
        raise Refused("nul", row=number, column=column)
    return len(joined)


def read_xlsx(content: bytes, limits: dict, out):
    if limits.get("path") and limits["path"] not in sys.path:
        sys.path.append(limits["path"])  # started without `site`: it saves half the start-up
    from python_calamine import CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0)
    except MemoryError:
        raise
    except Exception as error:  # calamine raises its own errors for broken files
        raise Refused("xlsx") from error
    # The sheet's extent counts from A1, as the rows are read (`skip_empty_area=False`).
    last_row, last_column = sheet.end or (-1, -1)
    if last_row + 1 > limits["rows"] + 1:
        raise Refused("rows", limit=limits["rows"])
    if last_column + 1 > limits["columns"]:
        raise Refused("columns", limit=limits["columns"], count=last_column + 1)
    _send(out, ("size", last_row + 1))
    # `iter_rows` starts at row 1 but at the first column holding data: pad it back to A.
    left = [""] * (sheet.start or (0, 0))[1]
    characters = 0
    for number, values in enumerate(sheet.iter_rows(), start=1):
        # Most cells are text: strip them here rather than through a call per cell.
        row = [v.strip() if v.__class__ is str else _cell(v) for v in values]
        if left:
            row = left + row
        characters += _check_row(row, number, limits)
        if characters > limits["characters"]:
            raise Refused("characters", limit=limits["characters"])
        yield row


def read_csv(content: bytes, limits: dict, out):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1250", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    _send(out, ("size", text.count("\n") + (not text.endswith("\n"))))  # about: quoted breaks
    csv.field_size_limit(limits["cell"] * 4 + 16)  # spaces around a value are dropped below
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    characters = 0
    try:
        for number, values in enumerate(reader, start=1):
            if number > limits["rows"] + 1:
                raise Refused("rows", limit=limits["rows"])
            row = [v.strip() for v in values]
            characters += _check_row(row, number, limits)
            if characters > limits["characters"]:
                raise Refused("characters", limit=limits["characters"])
            yield row
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise Refused("cell", row=reader.line_num, column=None, limit=limits["cell"]) from error
        raise Refused("csv") from error


def _send(out, message) -> None:
    data = marshal.dumps(message)
    out.write(struct.pack(">I", len(data)))
    out.write(data)


def main() -> None:
    limits = json.loads(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_AS, (limits["memory"], limits["memory"]))
    resource.setrlimit(resource.RLIMIT_CPU, (limits["cpu"], limits["cpu"] + 1))
    content = sys.stdin.buffer.read()
    read = read_xlsx if limits["kind"] == "xlsx" else read_csv
    out, size, chunk = sys.stdout.buffer, limits["chunk"], []
    try:
        for row in read(content, limits, out):
            chunk.append(row)
            if len(chunk) == size:
                _send(out, ("rows", chunk))
                chunk = []
        if chunk:
            _send(out, ("rows", chunk))
        answer = ("ok",)
    except Refused as refused:
        answer = ("error", refused.code, refused.params)
    except MemoryError:
        answer = ("error", "memory", {})
    _send(out, answer)
    out.flush()


if __name__ == "__main__":
    main()
