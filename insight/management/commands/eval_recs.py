from django.core.management.base import BaseCommand

from insight.recs import evaluation


class Command(BaseCommand):
    help = "Hold out each shopper's last purchase; print hit-rate@10 and NDCG@10 vs a popularity baseline."

    def add_arguments(self, parser):
        parser.add_argument("--shoppers", type=int, default=2000)

    def handle(self, *args, **options):
        result = evaluation.evaluate(options["shoppers"])
        self.stdout.write(f"shoppers evaluated: {result['shoppers']}")
        self.stdout.write(f"{'':12} {'hit-rate@10':>12} {'NDCG@10':>10}")
        for name in ("model", "popularity"):
            label = "co-occurrence" if name == "model" else "popularity"
            self.stdout.write(f"{label:12} {result[f'{name}_hit_rate']:12.3f} {result[f'{name}_ndcg']:10.3f}")
