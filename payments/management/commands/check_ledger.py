"""Verify every ledger invariant (each app's ledger_checks, collected by payments.checks); exit 1 listing the
offending entries if any fail."""

from django.core.management.base import BaseCommand, CommandError

from payments import checks


class Command(BaseCommand):
    help = "Verify every ledger invariant; exits non-zero listing the problems."

    def handle(self, *args, **options):
        problems = checks.run_all()
        for problem in problems:
            where = f" [entry #{problem.entry_id}]" if problem.entry_id else ""
            self.stderr.write(f"{problem.check}: {problem.message}{where}")
        if problems:
            raise CommandError(f"{len(problems)} ledger problem(s) found")
        self.stdout.write(self.style.SUCCESS(f"ledger OK ({len(checks.all_checks())} checks)"))
