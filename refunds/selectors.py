"""Reads for refund pages and the API: scoped querysets, the policy dry run and a shopper's credits."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import CharField, DateTimeField, F, IntegerField, QuerySet, Sum, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics.selectors import late_compensations_of
from marketplace.money import ZERO, to_money
from orders.models import SubOrder
from refunds.models import RefundRequest, ReturnInsurancePayout
from refunds.policy import Decision, Policy, Reason
from refunds.services import policies
from refunds.services.assessment import availability, case_for, decide_case
from shops.models import Brand
from shops.permissions import Capability, stores_for


def for_shopper(user) -> QuerySet[RefundRequest]:
    return RefundRequest.objects.filter(shopper=user).select_related("suborder__order", "store")


def for_merchant(user, capability: Capability = Capability.HANDLE_REFUNDS) -> QuerySet[RefundRequest]:
    """Requests of every store where the user may handle refunds; anything else is invisible (404)."""
    return RefundRequest.objects.filter(store__in=stores_for(user, capability)).select_related(
        "suborder__order", "store", "shopper"
    )


def for_operator() -> QuerySet[RefundRequest]:
    return RefundRequest.objects.select_related("suborder__order", "store", "shopper")


def with_lines(queryset: QuerySet[RefundRequest]) -> QuerySet[RefundRequest]:
    return queryset.prefetch_related("lines__order_line")


def timeline(request: RefundRequest):
    """The sub-order's events that concern this request (plus its payment and receipt milestones)."""
    events = request.suborder.events.select_related("actor").order_by("at", "id")
    return [event for event in events if event.data.get("refund") in (request.pk, None)]


def refundable_lines(suborder: SubOrder):
    return availability(suborder)


@dataclass
class DryRunRow:
    reference: str
    store: str
    brand: str
    amount: object
    paid_at: object
    shipped: bool
    draft: Decision
    current: Decision

    @property
    def brand_label(self) -> str:
        return str(Brand(self.brand).label) if self.brand in Brand.values else self.brand

    @property
    def changed(self) -> bool:
        return self.draft.instant != self.current.instant


@dataclass
class DryRun:
    rows: list[DryRunRow] = field(default_factory=list)

    @property
    def summary(self) -> dict:
        return {
            "draft_instant": sum(row.draft.instant for row in self.rows),
            "current_instant": sum(row.current.instant for row in self.rows),
            "changed": sum(row.changed for row in self.rows),
        }


def dry_run(draft: Policy, *, last: int = 50) -> DryRun:
    """Which of the last `last` paid sub-orders a full refund would pay instantly under `draft` (and under the policy
    in force). A sub-order the shopper already asked about is judged on the facts of that first request (its time,
    whether it had shipped then, refund only or a return), as the request itself was decided, so a refunded, now
    closed sub-order is not mistaken for a shipped one and the in-force column adds up to what happened; the others
    are judged as a refund asked now."""
    _version, current = policies.current_policy()
    now = timezone.now()
    suborders = (
        SubOrder.objects.filter(paid_at__isnull=False)
        .select_related("store", "order")
        .prefetch_related("lines__sku__product", "refund_requests")
        .order_by("-paid_at", "-pk")[:last]
    )
    result = DryRun()
    for suborder in suborders:
        lines = list(suborder.lines.all())
        first_request = min(suborder.refund_requests.all(), key=lambda request: request.created_at, default=None)
        case = case_for(suborder, lines, first_request.created_at if first_request else now)
        kind = RefundRequest.Kind.REFUND_ONLY
        if first_request is not None:
            case = replace(case, shipped=first_request.shipped_when_requested)
            kind = first_request.kind
        result.rows.append(
            DryRunRow(
                reference=suborder.number,
                store=suborder.store.name,
                brand=suborder.store.brand,
                amount=suborder.payable,
                paid_at=suborder.paid_at,
                shipped=case.shipped,
                draft=_judge(draft, case, kind, first_request),
                current=_judge(current, case, kind, first_request),
            )
        )
    return result


def _judge(policy: Policy, case, kind: str, request: RefundRequest | None) -> Decision:
    """As ``create_request`` decided (or would decide): a return is the merchant's to check, and a cancellation
    after the ship-by time passed is refunded at once whatever the policy says."""
    if request is not None and _overdue_cancel(request):
        return Decision(instant=True, reasons=(Reason("ship_by_passed"),))
    return decide_case(policy, case, kind)


def _overdue_cancel(request: RefundRequest) -> bool:
    reasons = (request.policy_decision or {}).get("reasons") or []
    return request.instant and any(isinstance(r, dict) and r.get("code") == "ship_by_passed" for r in reasons)


# --- a shopper's credits: late-shipment compensation (logistics) and 运费险 payouts (refunds) ------------------------

LATE_SHIPMENT = "late_shipment"
RETURN_INSURANCE = "return_insurance"
# One column list for both halves of the union (same names, same order).
CREDIT_COLUMNS = ("credit_kind", "credited_at", "credit_amount", "order_number", "suborder_number", "store_name",
                  "deadline", "refund_id", "row_id")  # fmt: skip


@dataclass(frozen=True)
class Credit:
    """One credit to the shopper, its words in the reader's language (read when rendered)."""

    kind: str
    at: datetime.datetime
    amount: Decimal
    order_number: str
    suborder_number: str
    store_name: str
    deadline: datetime.datetime | None = None
    refund_id: int | None = None

    @property
    def label(self) -> str:
        if self.kind == LATE_SHIPMENT:
            return _("Late-shipment compensation")
        return _("Return shipping insurance (运费险)")

    @property
    def reason(self) -> str:
        if self.kind == LATE_SHIPMENT:
            deadline = timezone.localtime(self.deadline).strftime("%Y-%m-%d %H:%M") if self.deadline else "-"
            return _("%(store)s did not ship by %(deadline)s") % {"store": self.store_name, "deadline": deadline}
        return _("The platform paid the postage of your return (refund %(refund)s)") % {"refund": self.refund_id}


def credits_of(shopper) -> QuerySet:
    """The shopper's own credits, newest first, as rows of CREDIT_COLUMNS (one query; slice it to page it, then
    ``credit_rows``). Another shopper's compensations and payouts never match."""
    late = late_compensations_of(shopper).annotate(
        credit_kind=Value(LATE_SHIPMENT, output_field=CharField()),
        credited_at=F("detected_at"),
        credit_amount=F("compensation"),
        order_number=F("suborder__order__number"),
        suborder_number=F("suborder__number"),
        store_name=F("store__name"),
        deadline=F("ship_by"),
        refund_id=Value(None, output_field=IntegerField()),
        row_id=F("pk"),
    )
    insurance = ReturnInsurancePayout.objects.filter(request__shopper=shopper).annotate(
        credit_kind=Value(RETURN_INSURANCE, output_field=CharField()),
        credited_at=F("paid_at"),
        credit_amount=F("amount"),
        order_number=F("request__suborder__order__number"),
        suborder_number=F("request__suborder__number"),
        store_name=F("store__name"),
        deadline=Value(None, output_field=DateTimeField()),
        refund_id=F("request_id"),
        row_id=F("pk"),
    )
    return (
        late.order_by()
        .values(*CREDIT_COLUMNS)
        .union(insurance.order_by().values(*CREDIT_COLUMNS), all=True)
        .order_by("-credited_at", "credit_kind", "-row_id")
    )


def credit_rows(rows) -> list[Credit]:
    return [
        Credit(
            kind=row["credit_kind"],
            at=row["credited_at"],
            amount=row["credit_amount"],
            order_number=row["order_number"],
            suborder_number=row["suborder_number"],
            store_name=row["store_name"],
            deadline=row["deadline"],
            refund_id=row["refund_id"],
        )
        for row in rows
    ]


def credit_total(shopper) -> Decimal:
    """Everything ever credited to the shopper (spending credit is not part of the platform yet)."""
    late = late_compensations_of(shopper).aggregate(total=Sum("compensation"))["total"] or ZERO
    insurance = (
        ReturnInsurancePayout.objects.filter(request__shopper=shopper).aggregate(total=Sum("amount"))["total"] or ZERO
    )
    return to_money(late + insurance)
