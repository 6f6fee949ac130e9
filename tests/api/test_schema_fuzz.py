"""Schemathesis over the OpenAPI schema: every operation, as the kind of user it is for, against the demo's data
(orders in every state, coupons, refunds, streams). No 5xx; no response that violates the schema. Inputs are
generated from the schema, so new endpoints are covered as they are added.

The demo is seeded once per module inside a transaction that is rolled back at the end; each generated case runs in
a savepoint inside it. Random ids rarely hit a real object, so ``test_demo_objects_match_the_schema`` also reads the
demo's own objects (an order of each state, coupons held and claimable, a store without a creator policy) through
their detail operations and checks those answers against the schema.

FUZZ_EXAMPLES (default 4) sets the generated cases per operation and role; raise it for a deeper local run.
"""

import io
import os

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from accounts.models import User
from marketplace.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
DEMO_USERS = {"shopper": "alice", "merchant": "merchant", "operator": "operator"}
ROLES = ["anonymous", *DEMO_USERS]
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture(scope="module")
def demo_headers(django_db_setup, django_db_blocker):
    """Seed the demo once for the module; answer each role's request headers. Calling the WSGI app directly would
    close the test's connection at request end (and with it the module's transaction): the test client avoids
    that the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock():
        seeded = transaction.atomic()
        seeded.__enter__()
        try:
            call_command("seed_demo", stdout=io.StringIO())
            headers = {"anonymous": {}}
            for role, username in DEMO_USERS.items():
                token = Token.objects.get_or_create(user=User.objects.get(username=username))[0]
                headers[role] = {"Authorization": f"Token {token.key}"}
            yield headers
        finally:
            transaction.set_rollback(True)
            seeded.__exit__(None, None, None)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def audience(path: str) -> str:
    """The role an operation is written for: fuzzing it as that role reaches its code (other roles mostly get
    401/403/404, which the demo test below checks for every role on every list)."""
    if path.startswith("/api/v1/ops/"):
        return "operator"
    if path.startswith(("/api/v1/seller/", "/api/v1/live/host/", "/api/v1/live/stores/")):
        return "merchant"
    return "shopper"


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "4")),
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
    # Explicit examples and generated cases; no shrinking: a failure is reported as found, which keeps the run
    # bounded in time.
    phases=[Phase.explicit, Phase.generate],
)
def test_api_never_fails_and_matches_its_schema(case, demo_headers, db):
    response = case.call(headers=demo_headers[audience(case.operation.path)])
    case.validate_response(response, checks=CHECKS)


def demo_reads(role: str) -> list[tuple[str, dict]]:
    """(operation path, path parameters) of the demo objects this role can read."""
    from livestream.models import Stream
    from orders.models import Order, SubOrder
    from promotions.models import CouponTemplate, IssuedCoupon
    from refunds.models import RefundRequest
    from shops.models import Store

    if role == "shopper":
        alice = User.objects.get(username="alice")
        reads = [("/api/v1/orders/{number}/", {"number": o.number}) for o in Order.objects.filter(shopper=alice)]
        reads += [
            ("/api/v1/promotions/my-coupons/{id}/", {"id": c.pk}) for c in IssuedCoupon.objects.filter(shopper=alice)
        ]
        reads += [("/api/v1/refunds/{id}/", {"id": r.pk}) for r in RefundRequest.objects.filter(shopper=alice)]
        return reads
    if role == "merchant":
        owner = User.objects.get(username="merchant")
        stores = Store.objects.filter(merchant__owner=owner)
        suborders = SubOrder.objects.filter(store__in=stores)
        reads = [("/api/v1/seller/suborders/{id}/", {"id": s.pk}) for s in suborders]
        for store in stores:
            reads += [
                ("/api/v1/live/stores/{store_id}/creator-policy/", {"store_id": store.pk}),
                ("/api/v1/seller/stores/{store_id}/products/", {"store_id": store.pk}),
            ]
        reads += [
            ("/api/v1/live/host/streams/{id}/coupons/", {"id": s.pk}) for s in Stream.objects.filter(store__in=stores)
        ]
        return reads
    if role == "operator":
        return [
            ("/api/v1/promotions/platform-coupons/{id}/", {"id": t.pk})
            for t in CouponTemplate.objects.filter(store__isnull=True)
        ]
    return []


@pytest.mark.parametrize("role", ROLES)
def test_demo_objects_match_the_schema(role, demo_headers, db):
    reads = [(schema.find_operation_by_path("GET", path), parameters) for path, parameters in demo_reads(role)]
    reads += [(operation, {}) for operation in listed_operations()]
    assert len(reads) >= 30
    failures = []
    for operation, parameters in reads:
        case = operation.Case(path_parameters=parameters)
        response = case.call(headers=demo_headers[role])
        if parameters and response.status_code != 200:
            failures.append(f"{operation.path} {parameters}: {response.status_code}")
            continue
        try:
            case.validate_response(response, checks=CHECKS)
        except AssertionError as exc:  # schemathesis failures are AssertionErrors; report them all at once
            failures.append(f"{operation.path} {parameters}: {exc}")
    assert not failures, "\n\n".join(failures)


def listed_operations():
    """Every GET without path parameters: the lists and dashboards, which the demo fills with real rows."""
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() == "GET" and "{" not in operation.path:
            yield operation
