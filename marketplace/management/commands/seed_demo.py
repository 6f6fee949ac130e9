"""Load demo data. Idempotent: every app's seeder looks its rows up by natural keys before creating them."""

import importlib

from django.core.management.base import BaseCommand
from django.db import transaction

from marketplace.navigation import APPS


class Command(BaseCommand):
    help = "Load demo data (safe to run again: nothing is added twice) and print the demo logins."

    def handle(self, *args, **options):
        logins: list[tuple[str, str, str]] = []
        for app in APPS:
            try:
                module = importlib.import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            with transaction.atomic():
                logins.extend(module.seed(self.stdout) or [])
        self.stdout.write(self.style.SUCCESS("Demo data ready. Logins (username / password / role):"))
        for username, password, role in logins:
            self.stdout.write(f"  {username:<14} {password:<14} {role}")
