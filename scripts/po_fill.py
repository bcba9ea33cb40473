"""Fill Polish translations in lider/locale/pl/LC_MESSAGES/django.po from a JSON file.

Usage: python scripts/po_fill.py [translations.json …]   (default: scripts/translations/*.json)
The JSON maps an English msgid to its Polish text, or (for plural messages) to a list of the
three Polish plural forms. Prints the msgids that are still untranslated.

With ``--before FILE`` (the catalogue as it was before ``makemessages``): when nothing but the
extraction date changed, the old header date is kept, so that extracting again leaves the
tracked file untouched (``make test`` must leave the work tree clean).
"""

import argparse
import io
import json
import re
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parent.parent / "lider/locale/pl/LC_MESSAGES/django.po"


TRANSLATIONS = Path(__file__).resolve().parent / "translations"


DATE_LINE = re.compile(rb'^"POT-Creation-Date: [^"]*"\n', re.MULTILINE)


def without_date(text: bytes) -> bytes:
    return DATE_LINE.sub(b"", text)


def main(paths: list[str], before: Path | None = None) -> int:
    with open(PO, "rb") as handle:
        catalog = read_po(handle, locale="pl")
    table = {}
    for path in paths or sorted(TRANSLATIONS.glob("*.json")):
        table.update(json.loads(Path(path).read_text(encoding="utf-8")))
    missing = []
    for message in catalog:
        if not message.id:
            continue
        key = message.id[0] if message.pluralizable else message.id
        context_key = f"{message.context}|{key}" if message.context else key
        value = table.get(context_key, table.get(key))
        if value is not None:
            message.string = tuple(value) if message.pluralizable else value
            message.flags.discard("fuzzy")
        text = message.string
        # A fuzzy entry is makemessages' guess from a similar msgid: never compiled, so the
        # screen would show English. It counts as missing until a JSON file translates it.
        if "fuzzy" in message.flags:
            missing.append(context_key)
        elif message.pluralizable:
            # Polish has four plural forms (the fourth for fractions): a list of three leaves
            # the fourth empty in the catalogue.
            if len(text) < catalog.num_plurals or not all(text):
                missing.append(context_key)
        elif not text:
            missing.append(context_key)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, omit_header=False)
    text = buffer.getvalue()
    if before is not None and before.exists():
        old = before.read_bytes()
        if without_date(old) == without_date(text):
            text = old
    if not PO.exists() or PO.read_bytes() != text:
        PO.write_bytes(text)
    for key in missing:
        print("MISSING:", key)
    return 1 if missing else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="JSON files (default: scripts/translations/)")
    parser.add_argument("--before", type=Path, help="the catalogue before makemessages")
    arguments = parser.parse_args()
    sys.exit(main(arguments.paths, arguments.before))
