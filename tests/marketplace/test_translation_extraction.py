"""Every translatable string reaches the catalogs: `make messages` (xgettext) finds only calls of the names it knows
(``_``, ``gettext``, ``gettext_lazy``, ``ngettext``, ...). A translation function imported under another name (the
order tabs' ``_lazy("To receive")``) is never extracted, so the string stays English on 简体中文 pages."""

import re
from pathlib import Path

from django.utils import translation

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SKIP = {".venv", "tests", "bench", "node_modules", ".devdata"}
KNOWN = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy",
         "npgettext", "npgettext_lazy"}  # fmt: skip
ALIAS = re.compile(r"\b(n?p?gettext(?:_lazy|_noop)?)\s+as\s+(\w+)")


def project_sources():
    for path in BASE_DIR.rglob("*.py"):
        if not SKIP & set(path.relative_to(BASE_DIR).parts):
            yield path


def test_translation_functions_are_imported_under_names_makemessages_extracts():
    renamed = []
    for path in project_sources():
        for function, alias in ALIAS.findall(path.read_text(encoding="utf-8")):
            if alias not in KNOWN:
                renamed.append(f"{path.relative_to(BASE_DIR)}: {function} as {alias}")
    assert renamed == []


def test_the_order_tabs_read_in_chinese():
    from orders.views.storefront import ORDER_TABS

    with translation.override("zh-hans"):
        labels = [str(label) for label, _states in ORDER_TABS.values()]
    assert labels == ["待付款", "待发货", "待收货", "已收货", "已关闭"]
