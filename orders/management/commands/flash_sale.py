"""Arm, disarm or reconcile the Redis flash-sale gate of a SKU (orders.flash)."""

from django.core.management.base import BaseCommand, CommandError

from orders import flash


class Command(BaseCommand):
    help = "arm | disarm | reconcile the Redis flash-sale admission counter of a SKU"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["arm", "disarm", "reconcile"])
        parser.add_argument("sku", type=int)
        parser.add_argument("--repair", action="store_true", help="reconcile: set the counter to the database's stock")

    def handle(self, *args, action, sku, repair=False, **options):
        if action == "arm":
            self.stdout.write(f"sku {sku}: flash sale armed with {flash.arm(sku)} units")
        elif action == "disarm":
            flash.disarm(sku)
            self.stdout.write(f"sku {sku}: flash sale disarmed")
        else:
            result = flash.reconcile(sku, repair=repair)
            self.stdout.write(f"sku {sku}: redis={result.redis_units} database={result.database_units}")
            if not result.agrees and not repair:
                raise CommandError(
                    "Redis and the database disagree (run again with --repair when no sale is in flight)"
                )
