"""Programme trees (programme → priority → measure → sub-measure) loaded from CSV files.

The trees shipped with Lider are in `programmes/` (see its README for where each level comes
from); `lider load_programme PATH` loads another one. A file has the columns
`level,code,name,parent`: one `programme` row with no parent, then each level under the code
of its parent (given earlier in the file). Loading is all-or-nothing (every row is checked
before anything is written; errors are reported by row) and idempotent (a node is found by
its parent and code; a changed name is updated, nothing else is touched).
"""

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

BUNDLED = Path(__file__).resolve().parent / "programmes"
COLUMNS = ["level", "code", "name", "parent"]
LEVELS = ["programme", "priority", "measure", "submeasure"]
MAX_BYTES = 1_000_000
MAX_ROWS = 5_000
CODE_LENGTH = 30
NAME_LENGTH = 300


class ProgrammeFileError(Exception):
    """The file cannot be loaded; `errors` lists what is wrong, row by row, in words."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class LoadResult:
    programme: str
    created: int = 0
    renamed: int = 0
    unchanged: int = 0
    rows: list = field(default_factory=list, repr=False)


def read_rows(content: bytes) -> list[dict]:
    """The rows of a programme file, checked; ProgrammeFileError lists every problem."""
    if len(content) > MAX_BYTES:
        raise ProgrammeFileError(
            [_("The file is larger than %(size)s bytes.") % {"size": MAX_BYTES}]
        )
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProgrammeFileError([_("The file is not UTF-8 text.")]) from None
    if "\x00" in text:
        raise ProgrammeFileError([_("The file contains a NUL character.")])
    try:
        reader = csv.reader(io.StringIO(text, newline=""))
        header = next(reader, None)
        raw = list(reader)
    except csv.Error as error:
        raise ProgrammeFileError(
            [_("The file is not valid CSV: %(error)s") % {"error": error}]
        ) from None
    if header is None or [cell.strip().lower() for cell in header] != COLUMNS:
        raise ProgrammeFileError(
            [_("The first row must be the header: %(columns)s.") % {"columns": ",".join(COLUMNS)}]
        )
    if len(raw) > MAX_ROWS:
        raise ProgrammeFileError([_("The file has more than %(rows)s rows.") % {"rows": MAX_ROWS}])
    errors, rows, levels = [], [], {}
    for number, cells in enumerate(raw, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        row_errors = []
        if len(cells) != len(COLUMNS):
            errors.append(
                _("Row %(row)s: %(count)s columns instead of %(expected)s.")
                % {"row": number, "count": len(cells), "expected": len(COLUMNS)}
            )
            continue
        level, code, name, parent = (" ".join(cell.split()) for cell in cells)
        if level not in LEVELS:
            row_errors.append(
                _("unknown level “%(level)s” (allowed: %(levels)s)")
                % {"level": level[:40], "levels": ", ".join(LEVELS)}
            )
        if not code or len(code) > CODE_LENGTH:
            row_errors.append(
                _("the code must have 1 to %(max)s characters") % {"max": CODE_LENGTH}
            )
        elif code in levels:
            row_errors.append(_("the code %(code)s appears twice") % {"code": code})
        if not name or len(name) > NAME_LENGTH:
            row_errors.append(
                _("the name must have 1 to %(max)s characters") % {"max": NAME_LENGTH}
            )
        if level == "programme":
            if parent:
                row_errors.append(_("a programme has no parent"))
            if any(row["level"] == "programme" for row in rows):
                row_errors.append(_("a file holds one programme"))
        elif level in LEVELS:
            expected = LEVELS[LEVELS.index(level) - 1]
            if parent not in levels:
                row_errors.append(
                    _("the parent %(parent)s is not given in an earlier row")
                    % {"parent": parent[:40] or "—"}
                )
            elif levels[parent] != expected:
                row_errors.append(
                    _("the parent of a %(level)s must be a %(expected)s")
                    % {"level": level, "expected": expected}
                )
        if row_errors:
            errors.append(
                _("Row %(row)s: %(problems)s.") % {"row": number, "problems": "; ".join(row_errors)}
            )
            continue
        levels[code] = level
        rows.append({"level": level, "code": code, "name": name, "parent": parent})
    if not errors and not any(row["level"] == "programme" for row in rows):
        errors.append(_("The file has no programme row."))
    if errors:
        raise ProgrammeFileError(errors)
    return rows


@transaction.atomic
def load_rows(rows: list[dict], *, model=None) -> LoadResult:
    """Write checked rows; `model` is ProgrammeNode (or its historical version in a migration)."""
    if model is None:
        from lider.projects.models import ProgrammeNode as model
    nodes: dict[str, object] = {}
    result = LoadResult(programme=rows[0]["code"])
    for row in rows:
        parent = nodes.get(row["parent"]) if row["level"] != "programme" else None
        found = model.objects.filter(parent=parent, code=row["code"]).first()
        if found is not None and found.level != row["level"]:
            raise ProgrammeFileError(
                [
                    _("%(code)s is already in the tree as a %(level)s.")
                    % {"code": row["code"], "level": found.level}
                ]
            )
        if found is None:
            found = model.objects.create(
                parent=parent, code=row["code"], level=row["level"], name=row["name"]
            )
            result.created += 1
        elif found.name != row["name"]:
            found.name = row["name"]
            found.save(update_fields=["name"])
            result.renamed += 1
        else:
            result.unchanged += 1
        nodes[row["code"]] = found
    return result


def load_file(path: Path, *, model=None) -> LoadResult:
    with open(path, "rb") as handle:
        content = handle.read(MAX_BYTES + 1)
    return load_rows(read_rows(content), model=model)


def load_bundled(*, model=None) -> list[LoadResult]:
    return [load_file(path, model=model) for path in sorted(BUNDLED.glob("*.csv"))]
