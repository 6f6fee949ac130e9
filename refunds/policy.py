"""The instant-refund policy (未发货秒退款): a pure evaluator, no ORM, plain dataclasses in and out.

A policy holds one rule per brand. A rule says whether instant refunds are on for the brand, whether they need the
sub-order to be unshipped, an optional cap on the sub-order's paid amount, an optional limit on the time since
payment, and categories (ids; a line matches when its category or any ancestor is excluded) that never qualify.
The same JSON shape is stored in ``RefundPolicyVersion.rules``; ``Policy.from_json`` is the single validator for
what operators submit, so a bad policy (a negative limit, an unknown brand) is refused before anything is saved.

The review time-outs (DESIGN.md "Refunds") travel with the policy so they are versioned and audited the same way.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation


def _(text: str) -> str:
    """Marks a message for translation (makemessages extracts it) without translating: this module has no Django.
    The caller shows a Message in the reader's language (refunds.reasons.policy_message)."""
    return text


BRANDS = ("TMALL", "TAOBAO")


@dataclass(frozen=True)
class Message:
    """A message id (English) with its parameters, translated by whoever shows it."""

    text: str
    params: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return self.text % self.params if self.params else self.text


class PolicyError(ValueError):
    """A policy document that cannot be used; ``errors`` maps a field path to a Message."""

    def __init__(self, errors: dict[str, Message]):
        super().__init__("; ".join(f"{key}: {message}" for key, message in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class BrandRule:
    enabled: bool = True
    unshipped_only: bool = True
    max_suborder_amount: Decimal | None = None
    max_hours_since_payment: Decimal | None = None
    excluded_categories: frozenset[int] = field(default_factory=frozenset)

    def to_json(self) -> dict:
        return {
            "enabled": self.enabled,
            "unshipped_only": self.unshipped_only,
            "max_suborder_amount": None if self.max_suborder_amount is None else f"{self.max_suborder_amount:.2f}",
            "max_hours_since_payment": None
            if self.max_hours_since_payment is None
            else _number_text(self.max_hours_since_payment),
            "excluded_categories": sorted(self.excluded_categories),
        }


@dataclass(frozen=True)
class Timeouts:
    """Review time-outs; defaults are DESIGN.md's."""

    unshipped_review_hours: Decimal = Decimal(24)
    shipped_review_hours: Decimal = Decimal(36)
    rejected_response_days: Decimal = Decimal(5)
    return_receipt_days: Decimal = Decimal(10)
    return_shipment_days: Decimal = Decimal(7)

    def to_json(self) -> dict:
        return {name: _number_text(getattr(self, name)) for name in TIMEOUT_FIELDS}

    def delta(self, name: str) -> datetime.timedelta:
        value = getattr(self, name)
        if name.endswith("_hours"):
            return datetime.timedelta(seconds=float(value * 3600))
        return datetime.timedelta(seconds=float(value * 86400))


TIMEOUT_FIELDS = (
    "unshipped_review_hours",
    "shipped_review_hours",
    "rejected_response_days",
    "return_receipt_days",
    "return_shipment_days",
)


@dataclass(frozen=True)
class Policy:
    rules: dict[str, BrandRule]
    timeouts: Timeouts = field(default_factory=Timeouts)

    def rule_for(self, brand: str) -> BrandRule:
        # A brand missing from the document gets no instant refunds: the safe side is the merchant's review.
        return self.rules.get(brand, BrandRule(enabled=False))

    def to_json(self) -> dict:
        return {
            "brands": {brand: self.rules[brand].to_json() for brand in BRANDS if brand in self.rules},
            "timeouts": self.timeouts.to_json(),
        }

    @classmethod
    def from_json(cls, document) -> Policy:
        errors: dict[str, str] = {}
        if not isinstance(document, dict):
            raise PolicyError({"policy": Message(_("The policy must be a JSON object."))})
        brands = document.get("brands", {})
        if not isinstance(brands, dict):
            raise PolicyError({"brands": Message(_("brands must be an object keyed by brand."))})
        rules = {}
        for brand, raw in brands.items():
            if brand not in BRANDS:
                errors[f"brands.{brand}"] = Message(_("Unknown brand %(brand)s."), {"brand": brand})
                continue
            rule = _parse_rule(f"brands.{brand}", raw, errors)
            if rule is not None:
                rules[brand] = rule
        timeouts = _parse_timeouts(document.get("timeouts", {}), errors)
        if errors:
            raise PolicyError(errors)
        return cls(rules=rules, timeouts=timeouts)


def _number_text(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else str(value)


def _parse_bool(path: str, raw, default: bool, errors: dict) -> bool:
    if raw is None:
        return default
    if isinstance(raw, bool):
        return raw
    errors[path] = Message(_("Must be true or false."))
    return default


def _parse_limit(path: str, raw, errors: dict, *, places: int | None = None) -> Decimal | None:
    """An optional non-negative number; None or "" means "no limit"."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        errors[path] = Message(_("Must be a number."))
        return None
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        errors[path] = Message(_("Must be a number."))
        return None
    if not value.is_finite():
        errors[path] = Message(_("Must be a number."))
        return None
    if value < 0:
        errors[path] = Message(_("A limit cannot be negative."))
        return None
    if value > Decimal("9999999999"):
        errors[path] = Message(_("This limit is too large."))
        return None
    if places is not None:
        if value != value.quantize(Decimal(1).scaleb(-places)):
            errors[path] = Message(_("Use at most %(places)d decimal places."), {"places": places})
            return None
        value = value.quantize(Decimal(1).scaleb(-places))
    return value


def _parse_rule(path: str, raw, errors: dict) -> BrandRule | None:
    if not isinstance(raw, dict):
        errors[path] = Message(_("Each brand rule must be an object."))
        return None
    categories_raw = raw.get("excluded_categories", [])
    categories: set[int] = set()
    if not isinstance(categories_raw, list | tuple | set | frozenset):
        errors[f"{path}.excluded_categories"] = Message(_("Must be a list of category ids."))
    else:
        for item in categories_raw:
            if isinstance(item, bool) or not isinstance(item, int | str) or not str(item).isdigit():
                errors[f"{path}.excluded_categories"] = Message(_("Must be a list of category ids."))
                break
            categories.add(int(item))
    unknown = set(raw) - {
        "enabled",
        "unshipped_only",
        "max_suborder_amount",
        "max_hours_since_payment",
        "excluded_categories",
    }
    if unknown:
        errors[path] = Message(_("Unknown fields: %(fields)s."), {"fields": ", ".join(sorted(unknown))})
    return BrandRule(
        enabled=_parse_bool(f"{path}.enabled", raw.get("enabled"), True, errors),
        unshipped_only=_parse_bool(f"{path}.unshipped_only", raw.get("unshipped_only"), True, errors),
        max_suborder_amount=_parse_limit(
            f"{path}.max_suborder_amount", raw.get("max_suborder_amount"), errors, places=2
        ),
        max_hours_since_payment=_parse_limit(
            f"{path}.max_hours_since_payment", raw.get("max_hours_since_payment"), errors
        ),
        excluded_categories=frozenset(categories),
    )


def _parse_timeouts(raw, errors: dict) -> Timeouts:
    if not isinstance(raw, dict):
        errors["timeouts"] = Message(_("timeouts must be an object."))
        return Timeouts()
    values = {}
    for name in TIMEOUT_FIELDS:
        if name not in raw:
            continue
        value = _parse_limit(f"timeouts.{name}", raw[name], errors)
        if value is None and f"timeouts.{name}" not in errors:
            errors[f"timeouts.{name}"] = Message(_("A time-out is required."))
        elif value is not None and value == 0:
            errors[f"timeouts.{name}"] = Message(_("A time-out must be longer than zero."))
        elif value is not None:
            values[name] = value
    unknown = set(raw) - set(TIMEOUT_FIELDS)
    if unknown:
        errors["timeouts"] = Message(_("Unknown fields: %(fields)s."), {"fields": ", ".join(sorted(unknown))})
    return replace(Timeouts(), **values)


# --- presets ------------------------------------------------------------------------------------------------------

DEFAULT_POLICY = Policy(
    rules={
        "TMALL": BrandRule(),
        "TAOBAO": BrandRule(max_suborder_amount=Decimal("500.00")),
    }
)

# The earlier rule: within 2 hours of payment and at most 200.00, for both brands.
EARLIER_POLICY = Policy(
    rules={
        brand: BrandRule(max_suborder_amount=Decimal("200.00"), max_hours_since_payment=Decimal(2)) for brand in BRANDS
    }
)

PRESETS: dict[str, Policy] = {"current": DEFAULT_POLICY, "earlier": EARLIER_POLICY}


# --- evaluation ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RefundCase:
    """What the policy needs to know about one refund request."""

    brand: str
    shipped: bool
    suborder_amount: Decimal  # what the shopper paid for the whole sub-order
    paid_at: datetime.datetime
    requested_at: datetime.datetime
    # Category ids of the refunded lines, each with its ancestors (the vertical included).
    category_ids: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Reason:
    """Why a case is not instant: a code and the figures behind it. The words are the reader's language, rendered
    by refunds.reasons (this module has no translation machinery)."""

    code: str
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Decision:
    instant: bool
    reasons: tuple[Reason, ...] = ()

    def to_json(self) -> dict:
        return {"instant": self.instant, "reasons": [{"code": r.code, "params": dict(r.params)} for r in self.reasons]}


def evaluate(policy: Policy, case: RefundCase) -> Decision:
    """Whether `case` is refunded instantly under `policy`; when not, every reason why (for the shopper and ops)."""
    rule = policy.rule_for(case.brand)
    reasons: list[Reason] = []
    if not rule.enabled:
        reasons.append(Reason("brand_disabled"))
    if rule.unshipped_only and case.shipped:
        reasons.append(Reason("shipped"))
    if rule.max_suborder_amount is not None and case.suborder_amount > rule.max_suborder_amount:
        reasons.append(
            Reason(
                "amount_over_limit",
                {"amount": f"{case.suborder_amount:.2f}", "limit": f"{rule.max_suborder_amount:.2f}"},
            )
        )
    if rule.max_hours_since_payment is not None:
        elapsed = case.requested_at - case.paid_at
        if elapsed > datetime.timedelta(seconds=float(rule.max_hours_since_payment * 3600)):
            reasons.append(Reason("too_late", {"hours": _number_text(rule.max_hours_since_payment)}))
    if rule.excluded_categories & case.category_ids:
        reasons.append(Reason("excluded_category"))
    return Decision(instant=not reasons, reasons=tuple(reasons))
