from django.core.management.base import BaseCommand

from insight import forecast


class Command(BaseCommand):
    help = "Hold out the last 8 weeks; print WAPE and MASE of the forecast model vs seasonal-naive."

    def add_arguments(self, parser):
        parser.add_argument("--weeks", type=int, default=8)
        parser.add_argument("--series", type=int, default=200, help="the best-selling SKU/locations to test")

    def handle(self, *args, **options):
        result = forecast.backtest(options["weeks"], limit=options["series"])
        self.stdout.write(f"series: {result['series']}, held out: last {options['weeks']} weeks")
        self.stdout.write(f"{'':16} {'WAPE':>8} {'MASE':>8}")
        self.stdout.write(f"{'GLM (statsmodels)':16} {result['model_wape']:8.3f} {result['model_mase']:8.3f}")
        self.stdout.write(f"{'seasonal-naive':16} {result['naive_wape']:8.3f} {result['naive_mase']:8.3f}")
