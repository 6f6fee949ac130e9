"""Fill the Simplified Chinese catalog from the glossaries in scripts/zh_hans/*.json (developers only).

Usage: python scripts/translate.py locale/zh_Hans/LC_MESSAGES/django.po scripts/zh_hans
One glossary per app keeps parallel work free of conflicts. Keeps existing translations, adds the glossaries' for
untranslated entries and prints what is still missing. Chinese has one plural form: a plural entry
(ngettext / blocktrans count) takes the glossary's text for its singular msgid, e.g.
{"%(counter)s product": "%(counter)s 件商品"}.
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
            entry.msgstr = ""
            entry.msgstr_plural = {}
        if entry.msgid_plural:
            if not entry.msgstr_plural.get(0) and entry.msgid in glossary:
                entry.msgstr_plural = {0: glossary[entry.msgid]}
            if not entry.msgstr_plural.get(0):
                missing.append(entry.msgid)
            continue
        if not entry.msgstr and entry.msgid in glossary:
            entry.msgstr = glossary[entry.msgid]
        if not entry.msgstr:
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
