"""Fill the Simplified Chinese catalog from the glossaries in scripts/zh_hans/*.json (developers only).

Usage: python scripts/translate.py locale/zh_Hans/LC_MESSAGES/django.po scripts/zh_hans
One glossary per app keeps parallel work free of conflicts. Keeps existing translations, adds the glossaries' for
untranslated entries and prints what is still missing.
"""

import json
import sys
from pathlib import Path

import polib


def load_glossaries(folder: str) -> dict[str, str]:
    glossary: dict[str, str] = {}
    for path in sorted(Path(folder).glob("*.json")):
        glossary.update(json.loads(path.read_text(encoding="utf-8")))
    return glossary


def main(po_path: str, glossary_folder: str) -> int:
    catalog = polib.pofile(po_path)
    glossary = load_glossaries(glossary_folder)
    missing = []
    for entry in catalog:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags and entry.msgid in glossary:
            entry.flags.remove("fuzzy")
            entry.msgstr = glossary[entry.msgid]
        if not entry.msgstr and entry.msgid in glossary:
            entry.msgstr = glossary[entry.msgid]
        if not entry.msgstr and not entry.msgid_plural:
            missing.append(entry.msgid)
    catalog.metadata["Language"] = "zh_Hans"
    catalog.metadata["Plural-Forms"] = "nplurals=1; plural=0;"
    catalog.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    catalog.save(po_path)
    for msgid in missing:
        print(f"untranslated: {msgid}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:]))
