"""Fill the Simplified Chinese catalog from a JSON glossary (developers only).

Usage: python scripts/translate.py locale/zh_Hans/LC_MESSAGES/django.po scripts/zh_hans.json
Keeps existing translations; adds the glossary's for untranslated entries; prints what is still missing.
"""

import json
import sys

import polib


def main(po_path: str, glossary_path: str) -> int:
    catalog = polib.pofile(po_path)
    with open(glossary_path, encoding="utf-8") as handle:
        glossary = json.load(handle)
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
