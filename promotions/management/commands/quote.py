"""``manage.py quote FILE``: price one JSON scenario (PRICING.md) and print the result as JSON.

Exit status 0 with the result on stdout; on invalid input one line ``error: <what and where>`` on stderr and exit
status 2 (not CommandError's 1). It never touches the database.
"""

import json
import sys
from decimal import Decimal

from django.core.management.base import BaseCommand

from promotions.engine import QuoteInputError, parse_request, quote, render_result

INVALID_INPUT = 2


class Command(BaseCommand):
    help = "Price one scenario (JSON, see ../shared/PRICING.md) read from FILE, or stdin with '-'."
    requires_system_checks = []
    requires_migrations_checks = False

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE", help="scenario JSON file, or - for standard input")

    def handle(self, *args, **options):
        try:
            scenario = decode(read_text(options["file"]))
            result = quote(parse_request(scenario))
        except QuoteInputError as error:
            self.stderr.write(f"error: {one_line(error.message)}")
            sys.exit(INVALID_INPUT)
        if not result.best_choice_proven:
            self.stderr.write("warning: the coupon search reached its budget; the selection is the best found")
        self.stdout.write(json.dumps(render_result(result), indent=2, ensure_ascii=False))


def read_text(path: str) -> str:
    try:
        if path == "-":
            return sys.stdin.buffer.read().decode("utf-8")
        with open(path, encoding="utf-8") as file:
            return file.read()
    except (OSError, UnicodeDecodeError) as error:
        raise QuoteInputError(f"cannot read {path}: {error}") from None


def decode(text: str):
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=refuse_constant, object_pairs_hook=no_duplicates)
    except ValueError as error:  # bad syntax, a refused constant, a duplicate key or an over-long number
        raise QuoteInputError(f"malformed JSON: {error}") from None
    except RecursionError:
        raise QuoteInputError("malformed JSON: nested too deeply") from None


def refuse_constant(name: str):
    raise ValueError(f"{name} is not a number")


def no_duplicates(pairs: list[tuple[str, object]]) -> dict:
    result = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f'duplicate key "{key}"')
        result[key] = value
    return result


def one_line(message: str) -> str:
    return " ".join(message.split())
