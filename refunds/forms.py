"""Forms for the refund pages. Rules live in refunds.policy / refunds.services; forms only collect input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from refunds.models import RefundRequest
from refunds.policy import BRANDS, TIMEOUT_FIELDS, Policy, PolicyError
from refunds.reasons import policy_message
from shops.models import Category

TIMEOUT_LABELS = {
    "unshipped_review_hours": _("Merchant response time, unshipped (hours)"),
    "shipped_review_hours": _("Merchant response time, shipped (hours)"),
    "rejected_response_days": _("Shopper response time after a rejection (days)"),
    "return_shipment_days": _("Time for the shopper to ship a return (days)"),
    "return_receipt_days": _("Time for the merchant to confirm a return (days)"),
}


class PolicyForm(forms.Form):
    """One set of fields per brand plus the time-outs; ``document`` is the validated JSON policy."""

    note = forms.CharField(label=_("Note for the audit trail"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        categories = Category.objects.order_by("vertical_id", "parent_id", "position", "id")
        for brand in BRANDS:
            self.fields[f"{brand}_enabled"] = forms.BooleanField(label=_("Instant refunds on"), required=False)
            self.fields[f"{brand}_unshipped_only"] = forms.BooleanField(label=_("Only before shipping"), required=False)
            self.fields[f"{brand}_max_suborder_amount"] = forms.CharField(
                label=_("Order amount limit (blank = none)"), required=False, max_length=20
            )
            self.fields[f"{brand}_max_hours_since_payment"] = forms.CharField(
                label=_("Hours since payment limit (blank = none)"), required=False, max_length=20
            )
            self.fields[f"{brand}_excluded_categories"] = forms.ModelMultipleChoiceField(
                label=_("Excluded categories"), queryset=categories, required=False
            )
        for name in TIMEOUT_FIELDS:
            self.fields[name] = forms.CharField(label=TIMEOUT_LABELS[name], max_length=20)

    @classmethod
    def initial_for(cls, policy: Policy) -> dict:
        initial = {}
        for brand in BRANDS:
            rule = policy.rule_for(brand).to_json()
            for key in ("enabled", "unshipped_only"):
                initial[f"{brand}_{key}"] = rule[key]
            for key in ("max_suborder_amount", "max_hours_since_payment"):
                initial[f"{brand}_{key}"] = rule[key] or ""
            initial[f"{brand}_excluded_categories"] = rule["excluded_categories"]
        initial.update(policy.timeouts.to_json())
        return initial

    def brand_fields(self):
        for brand in BRANDS:
            yield brand, [self[f"{brand}_{key}"] for key in
                          ("enabled", "unshipped_only", "max_suborder_amount", "max_hours_since_payment",
                           "excluded_categories")]  # fmt: skip

    def timeout_fields(self):
        return [self[name] for name in TIMEOUT_FIELDS]

    def clean(self):
        data = super().clean()
        document = {"brands": {}, "timeouts": {}}
        for brand in BRANDS:
            categories = data.get(f"{brand}_excluded_categories") or []
            document["brands"][brand] = {
                "enabled": bool(data.get(f"{brand}_enabled")),
                "unshipped_only": bool(data.get(f"{brand}_unshipped_only")),
                "max_suborder_amount": (data.get(f"{brand}_max_suborder_amount") or "").strip() or None,
                "max_hours_since_payment": (data.get(f"{brand}_max_hours_since_payment") or "").strip() or None,
                "excluded_categories": sorted(category.pk for category in categories),
            }
        for name in TIMEOUT_FIELDS:
            if data.get(name):
                document["timeouts"][name] = data[name].strip()
        try:
            self.policy = Policy.from_json(document)
        except PolicyError as exc:
            for path, message in exc.errors.items():
                field = path.replace("brands.", "").replace("timeouts.", "").replace(".", "_")
                self.add_error(field if field in self.fields else None, policy_message(message))
            return data
        data["document"] = self.policy.to_json()
        return data


class DryRunForm(forms.Form):
    last = forms.IntegerField(label=_("Last N paid orders"), min_value=1, max_value=1000, initial=50)


class RefundRequestForm(forms.Form):
    """The shopper's request; one quantity field per line of the sub-order (``qty_<line id>``)."""

    kind = forms.ChoiceField(label=_("What do you need?"), choices=RefundRequest.Kind.choices)
    reason = forms.ChoiceField(label=_("Reason"), choices=RefundRequest.Reason.choices)
    description = forms.CharField(label=_("Details"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                                  max_length=1000)  # fmt: skip
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=80)
    no_reason = forms.BooleanField(
        label=_("7-day no-reason return (7天无理由退货)"), required=False,
        help_text=_("Received within the last 7 days? Send it back without giving a reason."),
    )  # fmt: skip

    def __init__(self, *args, lines=(), kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = [(v, label) for v, label in RefundRequest.Kind.choices if v in kinds]
        self.fields["kind"].initial = RefundRequest.Kind.REFUND_ONLY
        self.line_rows = []
        for line in lines:
            name = f"qty_{line.pk}"
            # All of the line by default: a refund is usually for what was bought.
            self.fields[name] = forms.IntegerField(
                label=str(line),
                min_value=0,
                max_value=line.refundable_quantity,
                initial=line.refundable_quantity,
                required=False,
            )
            self.line_rows.append((line, self[name]))

    def chosen_quantities(self) -> dict[int, int]:
        """The quantities as submitted so far, or the defaults (for the instant-refund prediction)."""
        chosen = {}
        for line, bound in self.line_rows:
            raw = bound.value()
            try:
                quantity = int(raw) if raw not in (None, "") else 0
            except (TypeError, ValueError):
                continue
            if quantity > 0:
                chosen[line.pk] = quantity
        return chosen

    def chosen_kind(self) -> str:
        return str(self["kind"].value() or RefundRequest.Kind.REFUND_ONLY)

    def clean(self):
        data = super().clean()
        quantities = {}
        for line, bound in self.line_rows:
            quantity = data.get(bound.name) or 0
            if quantity:
                quantities[line.pk] = quantity
        if not quantities and not self.errors:
            raise forms.ValidationError(_("Choose at least one item and quantity to refund."))
        data["quantities"] = quantities
        return data


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for rejecting"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=1000)  # fmt: skip

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("A rejection needs a reason."))
        return reason


class ReturnShipmentForm(forms.Form):
    carrier = forms.CharField(label=_("Carrier"), max_length=60)
    tracking_number = forms.CharField(label=_("Return tracking number"), max_length=60)
    postage = forms.DecimalField(label=_("Postage you paid"), min_value=0, max_value=1000, decimal_places=2,
                                 required=False)  # fmt: skip


class EscalateForm(forms.Form):
    note = forms.CharField(label=_("Why should the platform step in?"), widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=1000)  # fmt: skip


class OperatorDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Refund the shopper")), ("reject", _("Side with the merchant"))]
    )
    note = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)
