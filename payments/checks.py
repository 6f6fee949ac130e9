"""Ledger invariants ``manage.py check_ledger`` runs, collected from every installed app.

An app with invariants over the ledger has a ``ledger_checks.py`` with ``CHECKS = [fn, ...]``; a check is
``fn() -> list[Problem]``. Payments keeps its own (payments.ledger_checks); settlement its (settlement.ledger_checks).
Collected in INSTALLED_APPS order, the way menus (nav.py) and demo data (demo.py) are, so a lower app never imports
a higher one.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    check: str
    message: str
    entry_id: int | None = None


Check = Callable[[], list[Problem]]


def all_checks() -> list[Check]:
    from django.apps import apps

    found: list[Check] = []
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.ledger_checks")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.ledger_checks":
                raise
            continue
        found.extend(check for check in module.CHECKS if check not in found)
    return found


def run_all() -> list[Problem]:
    problems: list[Problem] = []
    for check in all_checks():
        problems.extend(check())
    return problems
