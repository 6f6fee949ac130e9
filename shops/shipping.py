"""Shipping-fee rules (运费模板), pure arithmetic with no database.

A template is free shipping, free over an amount, or priced by region; every mode charges "first unit + each
additional unit" at the rate of the delivery province (a region's own rate, else the template's default rate).
Regions marked remote (偏远地区, e.g. 新疆 / 西藏) are never free: they always pay their own rate, as on Taobao.

"Free over" compares the goods amount the shopper pays for the lines of that template after every discount, and
is free from the threshold on (amount >= threshold). Shipping itself is never discounted and never counts
towards a promotion threshold: the caller prices the goods first, then adds these fees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

ZERO = Decimal("0.00")
CENT = Decimal("0.01")

FREE = "free"
FREE_OVER = "free_over"
BY_REGION = "by_region"
MODES = (FREE, FREE_OVER, BY_REGION)

# Longest first, so "新疆维吾尔自治区" loses the whole suffix and not just "区".
PROVINCE_SUFFIXES = (
    "维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "province", "省", "市",
)  # fmt: skip


class RuleError(ValueError):
    """A template that cannot be applied (e.g. a negative fee); the message is for the merchant."""


@dataclass(frozen=True)
class Rate:
    first_fee: Decimal = ZERO
    additional_fee: Decimal = ZERO

    def charge(self, quantity: int) -> Decimal:
        if quantity <= 0:
            return ZERO
        return (self.first_fee + self.additional_fee * (quantity - 1)).quantize(CENT)


@dataclass(frozen=True)
class Region:
    provinces: tuple[str, ...]
    rate: Rate
    remote: bool = False


@dataclass(frozen=True)
class FeeRule:
    mode: str = FREE
    default: Rate = Rate()
    regions: tuple[Region, ...] = field(default_factory=tuple)
    free_over: Decimal | None = None

    def __post_init__(self):
        if self.mode not in MODES:
            raise RuleError(f"unknown shipping mode {self.mode!r}")
        if self.mode == FREE_OVER and (self.free_over is None or self.free_over <= 0):
            raise RuleError("free over needs a positive amount")
        for rate in (self.default, *(region.rate for region in self.regions)):
            if rate.first_fee < 0 or rate.additional_fee < 0:
                raise RuleError("fees cannot be negative")


FREE_SHIPPING = FeeRule()


def normalise_province(name: str) -> str:
    text = "".join((name or "").split()).lower()
    for suffix in PROVINCE_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix):
            return text[: -len(suffix)]
    return text


def region_for(rule: FeeRule, province: str) -> Region | None:
    wanted = normalise_province(province)
    if not wanted:
        return None
    for region in rule.regions:
        if any(normalise_province(name) == wanted for name in region.provinces):
            return region
    return None


def fee(rule: FeeRule, *, province: str, quantity: int, amount: Decimal) -> Decimal:
    """The shipping fee of ``quantity`` units worth ``amount`` (after discounts) under one template."""
    if quantity <= 0:
        return ZERO
    region = region_for(rule, province)
    remote = region is not None and region.remote
    if not remote:
        if rule.mode == FREE:
            return ZERO
        if rule.mode == FREE_OVER and amount >= rule.free_over:
            return ZERO
    return (region.rate if region else rule.default).charge(quantity)


@dataclass(frozen=True)
class Parcel:
    """The lines of one sub-order that share a template: how many units, worth how much after discounts."""

    rule: FeeRule
    quantity: int
    amount: Decimal


def suborder_fee(parcels: list[Parcel], province: str) -> Decimal:
    """A sub-order's shipping: the sum over its templates (lines with no template ship free)."""
    return sum((fee(p.rule, province=province, quantity=p.quantity, amount=p.amount) for p in parcels), ZERO)


# --- regions as merchants type them: one line each, "新疆, 西藏 | 20 | 10 | remote" --------------------------------


def parse_money(text: str) -> Decimal:
    try:
        value = Decimal(str(text).strip())
    except (InvalidOperation, ValueError):
        raise RuleError(f"not an amount: {text!r}") from None
    if not value.is_finite() or value < 0:
        raise RuleError(f"not an amount: {text!r}")
    return value.quantize(CENT)


def parse_regions(text: str) -> tuple[Region, ...]:
    regions = []
    seen: set[str] = set()
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) not in (3, 4):
            raise RuleError(f"line {number}: write provinces | first fee | additional fee [| remote]")
        provinces = tuple(p.strip() for p in parts[0].replace("，", ",").replace("、", ",").split(",") if p.strip())
        if not provinces:
            raise RuleError(f"line {number}: name at least one province")
        for province in provinces:
            key = normalise_province(province)
            if key in seen:
                raise RuleError(f"line {number}: {province} is listed twice")
            seen.add(key)
        remote = len(parts) == 4 and parts[3].lower() in ("remote", "偏远", "yes", "1")
        if len(parts) == 4 and not remote and parts[3]:
            raise RuleError(f"line {number}: the fourth column can only be 'remote'")
        regions.append(Region(provinces, Rate(parse_money(parts[1]), parse_money(parts[2])), remote))
    return tuple(regions)


def format_regions(regions: tuple[Region, ...]) -> str:
    return "\n".join(
        f"{', '.join(r.provinces)} | {r.rate.first_fee} | {r.rate.additional_fee}" + (" | remote" if r.remote else "")
        for r in regions
    )


def regions_to_json(regions: tuple[Region, ...]) -> list[dict]:
    return [
        {
            "provinces": list(r.provinces),
            "first_fee": f"{r.rate.first_fee:.2f}",
            "additional_fee": f"{r.rate.additional_fee:.2f}",
            "remote": r.remote,
        }
        for r in regions
    ]


def regions_from_json(rows) -> tuple[Region, ...]:
    if not isinstance(rows, list):
        raise RuleError("regions must be a list")
    regions = []
    seen: set[str] = set()
    for row in rows:
        if not isinstance(row, dict) or not isinstance(row.get("provinces"), list) or not row["provinces"]:
            raise RuleError("each region needs a list of provinces")
        provinces = tuple(str(p).strip() for p in row["provinces"] if str(p).strip())
        for province in provinces:
            key = normalise_province(province)
            if key in seen:
                raise RuleError(f"{province} is listed twice")
            seen.add(key)
        rate = Rate(parse_money(row.get("first_fee", "0")), parse_money(row.get("additional_fee", "0")))
        regions.append(Region(provinces, rate, bool(row.get("remote", False))))
    return tuple(regions)
