"""Fill Polish translations in lider/locale/pl/LC_MESSAGES/django.po from a JSON file.

Usage: python scripts/po_fill.py [translations.json …]   (default: scripts/translations/*.json)
The JSON maps an English msgid to its Polish text, or (for plural messages) to a list of the
three Polish plural forms. Prints the msgids that are still untranslated.
"""

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO = Path(__file__).resolve().parent.parent / "lider/locale/pl/LC_MESSAGES/django.po"


TRANSLATIONS = Path(__file__).resolve().parent / "translations"


def main(paths: list[str]) -> int:
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
        if message.pluralizable:
            if not all(text):
                missing.append(context_key)
        elif not text:
            missing.append(context_key)
    with open(PO, "wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False)
    for key in missing:
        print("MISSING:", key)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
