"""Tenant isolation, generated from the URL configuration.

Every route with an object id in its path (API and pages) is tried by the wrong tenant with every HTTP method:
merchant routes by another merchant with the first merchant's objects, shopper routes by another shopper with the
first shopper's objects, creator routes by another creator, console routes by a merchant and a shopper. The answer
must be 403, 404 or 405, and no row anywhere may change. The world is the demo data (`seed_demo`).

A new route whose path parameter this file cannot map to a model fails the test: add it to PARAMETER_MODELS or
SEGMENT_MODELS so it is covered, never skipped.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, models
from django.forms.models import model_to_dict
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User

# The project's own apps (top-level packages of the repository), so an app added later is covered too.
PROJECT_APPS = [
    config.label
    for config in apps.get_app_configs()
    if Path(config.path).resolve().parent == Path(settings.BASE_DIR).resolve()
]
METHODS = ["get", "post", "put", "patch", "delete"]
REFUSED = {403, 404, 405}

# Parameter names that always mean one model.
PARAMETER_MODELS = {
    "store_id": "shops.Store",
    "suborder_id": "orders.SubOrder",
    "featured_id": "livestream.FeaturedProduct",
    "drop_id": "livestream.CouponDrop",
    "sku_pk": "shops.SKU",
    "stream_id": "livestream.Stream",
    "reference": "payments.Payment",
}
# Otherwise the path segment before the parameter names the model (the closest match wins).
SEGMENT_MODELS = [
    ("my-coupons", "promotions.IssuedCoupon"),
    ("targeted-coupons", "customers.TargetedCampaign"),
    ("seller/customers", "customers.Customer"),
    ("footprints", "customers.Footprint"),
    ("platform-coupons", "promotions.CouponTemplate"),
    ("brand-authorizations", "shops.BrandAuthorization"),
    ("creator-policy", "livestream.CreatorPolicy"),
    ("addresses", "accounts.Address"),
    ("products", "shops.Product"),
    ("stores", "shops.Store"),
    ("skus", "shops.SKU"),
    ("outlets", "shops.Outlet"),
    ("shipping-templates", "shops.ShippingTemplate"),
    ("seller/shipping", "shops.ShippingTemplate"),
    ("closures", "shops.StoreClosure"),
    ("holidays", "shops.PlatformHoliday"),
    ("staff", "shops.StoreStaff"),
    ("imports", "shops.ImportJob"),
    ("coupons", "promotions.CouponTemplate"),
    ("campaigns", "promotions.Campaign"),
    ("promotions", "promotions.StorePromotion"),
    ("items", "orders.CartItem"),
    ("suborders", "orders.SubOrder"),
    ("seller/orders", "orders.SubOrder"),
    ("orders", "orders.Order"),
    ("payments", "payments.Payment"),
    ("sandbox", "payments.Payment"),
    ("streams", "livestream.Stream"),
    ("live", "livestream.Stream"),
    ("refunds", "refunds.RefundRequest"),
    ("runs", "settlement.SettlementRun"),
    ("settlement-runs", "settlement.SettlementRun"),
    ("commissions", "settlement.CommissionRate"),
    ("commission-rates", "settlement.CommissionRate"),
    ("policy/v", "refunds.RefundPolicyVersion"),
    ("versions", "refunds.RefundPolicyVersion"),
    ("reviews", "reviews.Review"),
    ("questions", "reviews.Question"),
    ("conversations", "messaging.Conversation"),
    ("messages/c", "messaging.Conversation"),
    ("inbox", "messaging.Conversation"),
    ("messages/store", "shops.Store"),
    ("c/", "shops.Category"),
    ("p/", "shops.Product"),
    ("s/", "shops.Store"),
]
# Parameters that are not object ids: the value used (None: the route has no tenant object to test).
# Flash sales: any shopper may buy any SKU on sale (sku_id), and tickets live in Redis, not in a table; their
# owner-only rule is tested in tests/orders/test_flash_tickets.py.
VALUE_PARAMETERS = {"name": "end", "kind": None, "sku_id": None, "ticket_id": None}
# Lookups by a field other than the primary key.
LOOKUP_FIELDS = {"number": "number", "reference": "reference", "slug": "slug"}
# Catalog pages and objects anyone may read: only writes are checked there.
PUBLIC_MODELS = {
    "shops.Product",
    "shops.Store",
    "shops.Category",
    "livestream.Stream",
    "livestream.CouponDrop",
    "promotions.CouponTemplate",
    "reviews.Question",
}
# Platform objects that merchants act on through their own store id (enrolling in a campaign).
SHARED_MODELS = {"promotions.Campaign"}
# Actions every logged-in shopper may take on someone else's object (claiming a coupon, buying in a room, following
# a store, asking about a product, answering a question about a product they bought).
PUBLIC_ACTIONS = {"claim", "claim_coupon", "add_to_cart", "follow", "toggle_follow", "favourite", "toggle_favourite",
                  "product_questions", "questions", "answer", "answers", "contact_store"}  # fmt: skip
# Routes with no tenant object behind them.
IGNORED_ROUTES = {"media/<path:path>"}


@dataclass
class Route:
    path: str  # the route as written, for messages
    name: str  # the namespaced URL name for reverse()
    params: dict[str, str]  # parameter -> model label
    side: str  # merchant | shopper | creator | operator
    values: dict[str, str]  # non-object parameters


def walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern, namespace


def parameters(route: str) -> list[str]:
    return re.findall(r"<(?:\w+:)?(\w+)>", route) + re.findall(r"\(\?P<(\w+)>", route)


def side_of(route: str) -> str:
    if (
        route.startswith(("ops/", "api/v1/ops/"))
        or "/policy/" in route
        or route.startswith("api/v1/^promotions/campaigns")
    ):
        return "operator"
    if route.startswith(("api/v1/^promotions/platform-coupons",)):
        return "operator"
    if route.startswith("creator/"):
        return "creator"
    if route.startswith(("seller/", "api/v1/seller/", "api/v1/^seller/", "api/v1/live/", "api/v1/^live/host")):
        return "merchant"
    if route.startswith("api/v1/^promotions/stores/"):
        return "merchant"
    return "shopper"


def model_for(route: str, parameter: str) -> str | None:
    if parameter in PARAMETER_MODELS:
        return PARAMETER_MODELS[parameter]
    cleaned = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", route).replace("^", "").replace("$", "")
    before = cleaned.split(f"<{parameter}>")[0] if f"<{parameter}>" in cleaned else None
    if before is None:
        before = re.split(r"<(?:\w+:)?" + parameter + ">", cleaned)[0]
    before = "/" + before
    best, best_at = None, -1
    for segment, label in SEGMENT_MODELS:
        # Whole path segments only: "c/" is not the start of "/chat" or "/conversations", "s/" not of "/seller".
        matches = list(re.finditer("/" + re.escape(segment.rstrip("/")) + "(?=/|$)", before))
        if matches and matches[-1].end() > best_at:
            best, best_at = label, matches[-1].end()
    return best


def routes() -> tuple[list[Route], list[str]]:
    found, unmapped = [], []
    for route, pattern, namespace in walk(get_resolver().url_patterns):
        params = [p for p in parameters(route) if p != "format"]
        if not params or route.startswith("admin") or route in IGNORED_ROUTES or "format" in parameters(route):
            continue
        if not pattern.name:
            unmapped.append(f"{route} (unnamed)")
            continue
        if any(p in VALUE_PARAMETERS and VALUE_PARAMETERS[p] is None for p in params):
            continue
        mapping = {p: model_for(route, p) for p in params if p not in VALUE_PARAMETERS}
        if None in mapping.values():
            unmapped.append(f"{route} -> {mapping}")
            continue
        values = {p: VALUE_PARAMETERS[p] for p in params if p in VALUE_PARAMETERS}
        found.append(Route(route, namespace + pattern.name, mapping, side_of(route), values))
    return found, unmapped


def path_to(model: type[models.Model], target: type[models.Model], depth: int = 0) -> list[str] | None:
    """The chain of foreign keys from `model` to `target` (shortest first), or None."""
    if model is target:
        return []
    if depth >= 4:
        return None
    best = None
    for field in model._meta.concrete_fields:
        if not field.is_relation or field.related_model is None or field.related_model is model:
            continue
        tail = path_to(field.related_model, target, depth + 1)
        if tail is not None and (best is None or len(tail) + 1 < len(best)):
            best = [field.name, *tail]
    return best


def owned_instance(label: str, side: str, owner) -> models.Model | None:
    """An instance of `label` that belongs to `owner` (a Merchant for merchant routes, else a User)."""
    model = apps.get_model(label)
    if side == "operator" or label in SHARED_MODELS or (side == "shopper" and label in PUBLIC_MODELS):
        return model.objects.order_by("pk").first()
    target = apps.get_model("shops.Merchant") if side == "merchant" else User
    chain = path_to(model, target)
    if chain is None and side == "merchant" and label in PUBLIC_MODELS:
        return model.objects.order_by("pk").first()
    if chain is None:
        return None
    lookup = "__".join(chain) if chain else "pk"
    return model.objects.filter(**{lookup: owner.pk}).order_by("pk").first()


def writes_so_far() -> int:
    """Rows inserted, updated or deleted in the project's tables by this test's transaction so far.

    PostgreSQL keeps these counters per transaction, so one query tells whether a request wrote anything.
    """
    tables = [model._meta.db_table for app in PROJECT_APPS for model in apps.get_app_config(app).get_models()]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables "
            "WHERE relname = ANY(%s)",
            [tables],
        )
        return int(cursor.fetchone()[0])


def as_user(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def world(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    merchant_user = User.objects.get(username="merchant")
    creator_model = apps.get_model("livestream.Creator")
    rival_creator_user = User.objects.create_user("rival-creator", password="x-pass-2026")
    creator_model.objects.create(user=rival_creator_user, **_creator_defaults(creator_model))
    add_objects_the_demo_lacks(merchant_user.owned_merchants.get(), User.objects.get(username="alice"))
    return {
        "merchant": (merchant_user.owned_merchants.get(), User.objects.get(username="merchant2")),
        "shopper": (User.objects.get(username="alice"), User.objects.get(username="bob")),
        "creator": (User.objects.get(username="creator"), rival_creator_user),
    }


def add_objects_the_demo_lacks(merchant, shopper) -> None:
    """A scheduled closure, an import job, a cart line and a settlement run, so their routes are tested too."""
    from orders.models import Cart, CartItem, OrderLine
    from reviews.models import Review
    from settlement.models import SettlementRun
    from shops.models import SKU, ImportJob, StoreClosure

    store = merchant.stores.order_by("pk").first()
    start = timezone.localdate() + datetime.timedelta(days=60)
    StoreClosure.objects.create(store=store, starts_on=start, ends_on=start + datetime.timedelta(days=3))
    ImportJob.objects.create(store=store, filename="victim.csv", content="title\n")
    cart, _ = Cart.objects.get_or_create(shopper=shopper)
    CartItem.objects.create(cart=cart, sku=SKU.objects.filter(is_active=True).order_by("pk").first(), quantity=1)
    SettlementRun.objects.create()
    line = (
        OrderLine.objects.filter(suborder__order__shopper=shopper, suborder__store__merchant=merchant, review=None)
        .select_related("suborder", "sku")
        .order_by("pk")
        .first()
    )
    if line is not None:  # a review by the victim shopper in the victim merchant's store (reviews routes)
        Review.objects.create(
            line=line, product_id=line.sku.product_id, store_id=line.suborder.store_id, shopper=shopper, rating=4,
            text="victim", dsr_description=4, dsr_service=4, dsr_logistics=4,
        )  # fmt: skip


def _creator_defaults(model) -> dict:
    required = {}
    for field in model._meta.concrete_fields:
        if field.name in {"id", "user"} or field.has_default() or field.null or field.blank:
            continue
        if isinstance(field, models.CharField):
            required[field.name] = "Rival 对手"
    return required


def test_every_app_of_the_project_is_watched_for_writes():
    assert {"accounts", "shops", "reviews", "customers", "messaging", "insight"} <= set(PROJECT_APPS)
    assert not {"auth", "sessions", "admin", "axes", "auditlog", "authtoken"} & set(PROJECT_APPS)


def test_every_route_with_an_object_id_is_mapped():
    _, unmapped = routes()
    assert not unmapped, "routes with ids this matrix cannot test; map them:\n" + "\n".join(unmapped)


@pytest.mark.timeout(900)
def test_no_tenant_reaches_another_tenants_objects(world):
    found, _ = routes()
    assert len(found) > 50
    operator_outsiders = [world["merchant"][1], world["shopper"][1]]
    anonymous = APIClient()
    problems, missing, checked = [], [], 0
    for route in found:
        if route.side == "operator":
            owner, attackers = None, operator_outsiders
        else:
            owner, attacker = world[route.side]
            attackers = [attacker]
        public = all(label in PUBLIC_MODELS for label in route.params.values())
        action = route.name.split(":")[-1].split("-")[-1]  # DRF names actions "<basename>-<action>"
        if public and action in PUBLIC_ACTIONS:
            continue
        kwargs, victims = dict(route.values), []
        for parameter, label in route.params.items():
            instance = owned_instance(label, route.side, owner)
            if instance is None:
                missing.append(f"{route.path}: no {label} of the victim in the demo data")
                break
            field = LOOKUP_FIELDS.get(parameter, "pk")
            kwargs[parameter] = getattr(instance, field if hasattr(instance, field) else "pk")
            victims.append(instance)
        else:
            url = reverse(route.name, kwargs=kwargs)
            readable = public and anonymous.get(url).status_code == 200
            for attacker in attackers:
                client = as_user(attacker)
                for method in METHODS:
                    if method == "get" and readable:
                        continue
                    before = writes_so_far()
                    rows_before = [model_to_dict(v) for v in victims]
                    response = getattr(client, method)(url, {}, format="json")
                    checked += 1
                    if response.status_code not in REFUSED:
                        problems.append(f"{method.upper()} {url} as {attacker}: {response.status_code}")
                    if writes_so_far() != before:
                        problems.append(f"{method.upper()} {url} as {attacker}: wrote to the database")
                    for victim, row in zip(victims, rows_before, strict=True):
                        victim.refresh_from_db()
                        if model_to_dict(victim) != row:
                            problems.append(f"{method.upper()} {url} as {attacker}: changed {victim!r}")
    assert not missing, "the demo data lacks objects needed to test isolation:\n" + "\n".join(missing)
    assert not problems, f"{len(problems)} of {checked} cross-tenant requests got through:\n" + "\n".join(problems)
    assert checked > 200
