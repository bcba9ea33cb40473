"""Only `lider.people` writes people, institutions and participants: a guard over the source.

Every other app calls `lider.people.services` (or `imports`, `anonymising`, `restrictions`,
`paths`). This reads the source of every other module and fails on a write it can see: a
manager or queryset write on one of these models, a bulk insert of one, or `.save()` /
`.delete()` on a variable named after one of them.
"""

import ast
from pathlib import Path

import lider

MODELS = {"Person", "Institution", "InstitutionMember", "Participant", "Restriction"}
WRITES = {
    "create",
    "bulk_create",
    "get_or_create",
    "update_or_create",
    "bulk_update",
    "update",
    "delete",
}
BULK = {"insert_values", "insert_rows"}
# Variables holding one of these records, by the names the code base gives them.
NAMES = {
    "person",
    "people",
    "participant",
    "participants",
    "institution",
    "institutions",
    "subject",
    "applicant",
    "own",
    "member",
}
ROOT = Path(lider.__file__).parent


def _root_name(node) -> str | None:
    """The name a chain of attributes and calls starts from (Person.objects.filter(...))."""
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _last_name(node) -> str | None:
    if isinstance(node, ast.Attribute):
        return node.attr
    return node.id if isinstance(node, ast.Name) else None


def writes_in(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        method, receiver = node.func.attr, node.func.value
        if method in WRITES and _root_name(receiver) in MODELS:
            found.append((node.lineno, f"{_root_name(receiver)}….{method}()"))
        elif method in BULK and node.args and _last_name(node.args[0]) in MODELS:
            found.append((node.lineno, f"{method}({_last_name(node.args[0])}, …)"))
        elif method in {"save", "delete"} and _last_name(receiver) in NAMES:
            found.append((node.lineno, f"{_last_name(receiver)}.{method}()"))
        elif (
            method == "save"
            and isinstance(receiver, ast.Call)
            and _last_name(receiver.func) in MODELS  # Person(...).save()
        ):
            found.append((node.lineno, f"{_last_name(receiver.func)}(…).save()"))
    return found


def test_the_guard_sees_each_kind_of_write():
    source = """
Person.objects.create(first_name="A")
Participant.objects.filter(project=p).update(end_date=None)
bulk.insert_values(Person, names, rows)
application.person.save(update_fields=["email"])
participant.delete()
Institution.objects.bulk_create(rows)
models.Participant(project=p, person=q).save()
"""
    assert [line for line, _ in writes_in(source)] == [2, 3, 4, 5, 6, 7, 8]
    assert writes_in("Person.objects.filter(pk=1).exists()\napplication.save()\n") == []


def test_no_app_but_people_writes_people():
    offenders = []
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] == "people" or "migrations" in relative.parts:
            continue
        offenders += [
            f"lider/{relative}:{line}: {what}"
            for line, what in writes_in(path.read_text(encoding="utf-8"))
        ]
    assert offenders == [], "write through lider.people.services instead:\n" + "\n".join(offenders)
