"""Menus built from each app's ``nav.py``, so apps add their pages without editing shared templates.

An app's ``nav.py`` defines ``MENU = [MenuItem(...), ...]``. Areas: ``storefront`` (top bar), ``seller``
(workbench), ``ops`` (console), ``creator``. A seller item with a capability shows only to staff whose role in
the current store has it (shops.permissions).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache

from django.urls import NoReverseMatch, reverse

APPS = [
    "accounts",
    "shops",
    "promotions",
    "orders",
    "payments",
    "logistics",
    "refunds",
    "settlement",
    "reviews",
    "customers",
    "livestream",
    "messaging",
    "insight",
]


@dataclass(frozen=True)
class MenuItem:
    area: str
    label: str  # a gettext_lazy string
    url_name: str
    capability: str | None = None
    order: int = 100


@cache
def all_items() -> tuple[MenuItem, ...]:
    items: list[MenuItem] = []
    for app in APPS:
        try:
            module = importlib.import_module(f"{app}.nav")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.nav":
                raise
            continue
        items.extend(module.MENU)
    return tuple(sorted(items, key=lambda item: item.order))


def menu(area: str, allowed=lambda capability: True) -> list[dict]:
    entries = []
    for item in all_items():
        if item.area != area or (item.capability and not allowed(item.capability)):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        entries.append({"label": item.label, "url": url, "url_name": item.url_name})
    return entries


def context(request):
    """Template context processor: ``storefront_menu`` and ``ops_menu`` (seller menus depend on the store)."""
    user = getattr(request, "user", None)
    return {
        "storefront_menu": menu("storefront"),
        "ops_menu": menu("ops") if user and user.is_authenticated and user.is_staff else [],
    }
