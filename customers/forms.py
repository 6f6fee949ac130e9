from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from customers.models import Segment, SegmentSettings


class SegmentSettingsForm(forms.ModelForm):
    class Meta:
        model = SegmentSettings
        fields = ["new_days", "regular_days", "regular_min_orders", "high_value_percent", "at_risk_days", "lost_days"]

    def clean(self):
        cleaned = super().clean()
        at_risk, lost = cleaned.get("at_risk_days"), cleaned.get("lost_days")
        if at_risk and lost and lost <= at_risk:
            self.add_error("lost_days", _("“Lost” must take more days without an order than “at risk”."))
        return cleaned


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    store = forms.TypedChoiceField(label=_("Store"), coerce=int)
    segment = forms.ChoiceField(label=_("Segment"), required=False)
    min_spend = forms.DecimalField(label=_("Spend at least"), required=False, min_value=0, decimal_places=2)
    min_orders = forms.IntegerField(label=_("Orders at least"), required=False, min_value=0, max_value=100_000)
    no_order_for_days = forms.IntegerField(
        label=_("No order for (days)"), required=False, min_value=0, max_value=100_000
    )
    off = forms.DecimalField(label=_("Face value"), min_value=0.01, max_digits=12, decimal_places=2)
    threshold = forms.DecimalField(label=_("Minimum spend"), min_value=0.01, max_digits=12, decimal_places=2)
    valid_days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365, initial=30)
    budget = forms.IntegerField(label=_("Budget (coupons)"), min_value=1, max_value=1_000_000)
    per_shopper_limit = forms.IntegerField(label=_("Limit per shopper"), min_value=1, max_value=10, initial=1)
    control_percent = forms.IntegerField(label=_("Control group (%)"), min_value=0, max_value=50, initial=10)

    def __init__(self, *args, stores=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["store"].choices = [(store.pk, f"[{store.get_brand_display()}] {store.name}") for store in stores]
        self.fields["segment"].choices = [("", _("— custom filter —")), *Segment.choices]

    def audience(self) -> dict:
        data = self.cleaned_data
        raw = {name: data.get(name) for name in ("segment", "min_spend", "min_orders", "no_order_for_days")}
        return {key: value for key, value in raw.items() if value not in (None, "")}
