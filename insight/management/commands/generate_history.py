from django.core.management.base import BaseCommand

from insight import history


class Command(BaseCommand):
    help = "Create a year of plausible paid orders (weekly seasonality, campaign spikes), then roll up, train and forecast."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=365)
        parser.add_argument("--orders-per-day", type=int, default=40)
        parser.add_argument("--shoppers", type=int, default=300)
        parser.add_argument("--seed", type=int, default=21)

    def handle(self, *args, **options):
        result = history.generate(options["days"], options["orders_per_day"], options["shoppers"], options["seed"],
                                  stdout=self.stdout)  # fmt: skip
        self.stdout.write(self.style.SUCCESS(f"history: {result}"))
