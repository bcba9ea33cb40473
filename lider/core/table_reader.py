"""Reading an uploaded spreadsheet (XLSX or CSV) into rows of strings, within bounds.

Every import reads its file here (people and applications, test scores). A spreadsheet is a
zip of XML: a 10 KB file can declare 16,384 columns, a 0.7 MB one unpack to gigabytes. So:
- before anything is unpacked, the archive's directory is checked: the sizes its members
  declare, in total and against what they take packed (the compression ratio);
- the file is then read in a child process (`_table_child.py`) with a memory ceiling, a CPU
  ceiling and a time limit, so that a file which lies about its sizes, or is built to be slow,
  ends that process with a clear message instead of the server's;
- the child refuses a sheet with too many rows or columns, a cell longer than a person's
  data can be, or more text in total than an import needs.
Each refusal is a `TableError` with a message in the user's language.

`iter_chunks` streams the rows in chunks as the child reads them, so an import holds one chunk
at a time whatever the number of rows; a refusal found further down the sheet (a long cell in
row 50,000) comes as a `TableError` when the stream reaches it, so the caller must treat what it
did with the earlier chunks as undone (the imports run in one transaction). The time limit
counts the time spent waiting for the child, not the time the caller spends on each chunk.
`read_table` gives the whole sheet, for the small files (test scores) and tests.
"""

import functools
import gc
import json
import marshal
import os
import select
import struct
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

CHILD = Path(__file__).with_name("_table_child.py")
MB = 1024 * 1024


class TableError(Exception):
    """The file as a whole cannot be read (format, size, shape, encoding, headers)."""


@dataclass(frozen=True)
class Limits:
    file_bytes: int = 20 * MB  # the upload itself
    rows: int = 20_000  # below the header row
    columns: int = 100
    cell: int = 2_000  # characters in one cell
    characters: int = 40_000_000  # in the whole sheet
    unpacked_bytes: int = 200 * MB  # what an XLSX's members declare, together
    ratio: int = 100  # unpacked : packed, for a member larger than RATIO_FROM
    seconds: float = 30.0  # wall-clock time of the child
    memory_bytes: int = 768 * MB  # address space of the child


RATIO_FROM = MB  # below this, a member's ratio says nothing (a short XML packs well)
CHUNK_ROWS = 5000  # rows a frame of the child carries (and the import writes at once)


@contextmanager
def collection_paused():
    """Pause Python's cyclic garbage collector for bulk work on many new objects (reading,
    checking and inserting a file): every 700 allocations it would otherwise walk the objects
    already alive, which costs a third of an import of 10,000 rows. The objects made are not
    cyclic garbage; collection resumes (if it was on) when the block ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def limits() -> Limits:
    """The limits, with any set in settings (`LIDER_IMPORT_LIMITS = {"rows": 5000}`)."""
    return replace(Limits(), **getattr(settings, "LIDER_IMPORT_LIMITS", {}))


def column_name(index: int) -> str:
    """A, B, …, Z, AA, … as a spreadsheet names the column of a 0-based index."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def read_table(content: bytes, filename: str, bounds: Limits | None = None) -> list[list[str]]:
    """Every row of the first sheet as stripped strings (header row first)."""
    return [row for chunk in iter_chunks(content, filename, bounds) for row in chunk]


def iter_chunks(
    content: bytes,
    filename: str,
    bounds: Limits | None = None,
    *,
    on_size: Callable[[int], None] | None = None,
) -> Iterator[list[list[str]]]:
    """The rows of the first sheet as stripped strings (header row first), in lists of up to
    `CHUNK_ROWS`, read as the caller goes; any refusal is raised where the stream meets it.
    `on_size(rows)` hears how many rows the sheet has (header included; for a CSV, its lines)
    before the first chunk, for a progress bar."""
    bounds = bounds or limits()
    name = filename.lower()
    if name.endswith(".xlsx"):
        kind = "xlsx"
    elif name.endswith(".csv"):
        kind = "csv"
    else:
        raise TableError(_("Upload an XLSX or a CSV file."))
    if len(content) > bounds.file_bytes:
        raise TableError(
            _("The file is larger than %(limit)s MB.") % {"limit": bounds.file_bytes // MB}
        )
    if kind == "xlsx":
        check_archive(content, bounds)
    yield from _stream_from_child(content, kind, bounds, on_size)


def check_archive(content: bytes, bounds: Limits) -> None:
    """Refuse an XLSX whose directory declares too much, before a byte is unpacked."""
    try:
        members = zipfile.ZipFile(BytesIO(content)).infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as error:
        raise TableError(_("The file cannot be read as an XLSX spreadsheet.")) from error
    if len(members) > 1000:
        raise TableError(_("The file cannot be read as an XLSX spreadsheet."))
    unpacked = sum(member.file_size for member in members)
    if unpacked > bounds.unpacked_bytes:
        raise TableError(
            _("The XLSX file unpacks to more than %(limit)s MB: split it into smaller files.")
            % {"limit": bounds.unpacked_bytes // MB}
        )
    for member in members:
        if member.file_size > RATIO_FROM and (
            member.file_size > bounds.ratio * max(member.compress_size, 1)
        ):
            raise TableError(
                _(
                    "The XLSX file is packed far more tightly than a spreadsheet is "
                    "(over %(ratio)s to 1): it is refused as possibly harmful. Save it again "
                    "from a spreadsheet program, or as CSV."
                )
                % {"ratio": bounds.ratio}
            )


def _stream_from_child(
    content: bytes, kind: str, bounds: Limits, on_size
) -> Iterator[list[list[str]]]:
    arguments = {
        "kind": kind,
        "rows": bounds.rows,
        "columns": bounds.columns,
        "cell": bounds.cell,
        "characters": bounds.characters,
        "memory": bounds.memory_bytes,
        "cpu": max(1, int(bounds.seconds + 0.999)),
        "chunk": CHUNK_ROWS,
        "path": _calamine_path() if kind == "xlsx" else "",
    }
    child = subprocess.Popen(
        [sys.executable, "-I", "-S", str(CHILD), json.dumps(arguments)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    frames = _Frames(child, bounds)
    try:
        try:
            child.stdin.write(content)  # the child reads all of it before it writes a byte
            child.stdin.close()
        except BrokenPipeError:
            pass  # it ended at start: its exit status tells why, below
        while True:
            answer = frames.next()
            if answer is None:  # killed by its limits, or broken
                child.wait()
                if child.returncode in (-9, -24, 128 + 9, 128 + 24):  # SIGKILL, SIGXCPU
                    raise TableError(_too_slow(bounds))
                raise TableError(_too_big())
            if answer[0] == "rows":
                yield answer[1]
            elif answer[0] == "size":
                if on_size is not None:
                    on_size(answer[1])
            elif answer[0] == "ok":
                return
            else:
                raise TableError(_refusal(answer[1], answer[2], kind, bounds))
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()
        child.stdout.close()


class _Frames:
    """The child's frames, read within a budget of waiting time (the caller's own time
    between two frames is not counted: an import writing its rows is not the file's fault)."""

    def __init__(self, child, bounds: Limits):
        self.child, self.bounds, self.left = child, bounds, bounds.seconds
        self.fd = child.stdout.fileno()

    def next(self):
        head = self._read(4)
        if head is None:
            return None
        body = self._read(struct.unpack(">I", head)[0])
        if body is None:
            return None
        try:
            with collection_paused():
                return marshal.loads(body)
        except (EOFError, ValueError, TypeError):
            return None

    def _read(self, size: int) -> bytes | None:
        parts, missing = [], size
        while missing:
            started = time.monotonic()
            ready, _w, _x = select.select([self.fd], [], [], max(self.left, 0))
            self.left -= time.monotonic() - started
            if not ready:
                self.child.kill()
                raise TableError(_too_slow(self.bounds))
            part = os.read(self.fd, min(missing, 1 << 20))
            if not part:
                return None
            parts.append(part)
            missing -= len(part)
        return b"".join(parts)


@functools.cache
def _calamine_path() -> str:
    import python_calamine

    return str(Path(python_calamine.__file__).resolve().parent.parent)


def _too_slow(bounds: Limits) -> str:
    return _(
        "Reading the file took longer than %(seconds)s seconds, so it was stopped: "
        "it is not an ordinary spreadsheet. Save it again from a spreadsheet program, or as CSV."
    ) % {"seconds": f"{bounds.seconds:g}"}


def _too_big() -> str:
    return _(
        "Reading the file needs more memory than an import may take: it is not an ordinary "
        "spreadsheet. Save it again from a spreadsheet program, or as CSV."
    )


def _refusal(code: str, params: dict, kind: str, bounds: Limits) -> str:
    if code == "rows":
        return ngettext(
            "The sheet has more than %(limit)s row: split it into smaller files.",
            "The sheet has more than %(limit)s rows: split it into smaller files.",
            bounds.rows,
        ) % {"limit": bounds.rows}
    if code == "columns":
        return _(
            "The sheet has %(count)s columns; an import reads at most %(limit)s. Remove the "
            "columns (or stray cells) to the right of the data."
        ) % {"count": params["count"], "limit": bounds.columns}
    if code == "cell":
        values = {"row": params["row"], "limit": bounds.cell}
        if params.get("column") is None:
            return (
                _(
                    "Row %(row)s: a cell holds more than %(limit)s characters, more than any "
                    "column of the import takes."
                )
                % values
            )
        return _(
            "Row %(row)s, column %(column)s: the cell holds more than %(limit)s characters, "
            "more than any column of the import takes."
        ) % {**values, "column": column_name(params["column"])}
    if code == "nul":
        return _(
            "Row %(row)s, column %(column)s: the cell holds a NUL character, which no text "
            "may contain. Remove it and upload the file again."
        ) % {"row": params["row"], "column": column_name(params["column"])}
    if code == "characters":
        return _("The sheet holds more text than an import takes: split it into smaller files.")
    if code == "memory":
        return _too_big()
    if kind == "csv":
        return _("The file cannot be read as a CSV file.")
    return _("The file cannot be read as an XLSX spreadsheet.")
