"""HTML forms: they parse input into the dicts promotions.services validates and saves; the services' field errors
come back onto the form (``apply_errors``), so pages and API enforce the same rules."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from promotions.models import CLAIM_CHANNELS, Campaign, CouponTemplate, StorePromotion
from promotions.selectors import sample_skus
from shops.models import SKU, Brand, Category, Store

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"]


def datetime_field(label, required=False):
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


def money_field(label, required=False, help_text=""):
    return forms.DecimalField(label=label, required=required, max_digits=12, decimal_places=2, help_text=help_text)


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: per field where the form has it, else on the form."""
    for field, messages in error.message_dict.items():
        target = field if field in form.fields else None
        for message in messages:
            if target is None and field not in ("__all__",):
                message = f"{field}: {message}"
            form.add_error(target, message)


class TestIdMixin:
    """data-testid on every widget: browser tests drive the pages by these."""

    def add_test_ids(self, prefix: str):
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("data-testid", f"{prefix}-{name.replace('_', '-')}")


class CampaignForm(TestIdMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    starts_at = datetime_field(_("Starts at"), required=True)
    ends_at = datetime_field(_("Ends at"), required=True)
    every = money_field(_("For every (¥)"), required=True)
    off = money_field(_("Take off (¥)"), required=True)
    cap = money_field(_("At most (¥), empty: no cap"))
    brands = forms.MultipleChoiceField(
        label=_("Brands taking part (none ticked: both)"),
        choices=Brand.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    platform_share = forms.DecimalField(
        label=_("Platform share (0.00-1.00)"), max_digits=3, decimal_places=2, required=False, initial="0.00"
    )
    budget = money_field(_("Platform budget (¥), empty: no limit"))
    exclusive = forms.BooleanField(label=_("Exclusive"), required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_test_ids("campaign")

    @classmethod
    def initial_from(cls, campaign: Campaign) -> dict:
        return {field: getattr(campaign, field) for field in cls.base_fields}

    def data_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        data["platform_share"] = data.get("platform_share") or 0
        return data


class CouponTemplateForm(TestIdMixin, forms.Form):
    """Platform coupons and red packets (operators); with ``store`` set, a store coupon (merchants)."""

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (CouponTemplate.Kind.PLATFORM_COUPON, CouponTemplate.Kind.PLATFORM_COUPON.label),
            (CouponTemplate.Kind.RED_PACKET, CouponTemplate.Kind.RED_PACKET.label),
        ],
    )
    name = forms.CharField(label=_("Name"), max_length=120)
    off = money_field(_("Face value (¥)"), required=True)
    threshold = money_field(_("Minimum spend (¥), 0: none"))
    brands = forms.MultipleChoiceField(
        label=_("Only for brands"), choices=Brand.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    categories = forms.ModelMultipleChoiceField(
        label=_("Only for categories (a vertical covers all its subcategories)"),
        queryset=Category.objects.all(),
        required=False,
    )
    stores = forms.ModelMultipleChoiceField(label=_("Only for stores"), queryset=Store.objects.all(), required=False)
    claim_from = datetime_field(_("Claimable from"))
    claim_until = datetime_field(_("Claimable until"))
    valid_from = datetime_field(_("Valid from"))
    valid_to = datetime_field(_("Valid until"))
    valid_days = forms.IntegerField(
        label=_("Or valid for N days after claiming"), required=False, min_value=1, max_value=3650
    )
    total_quantity = forms.IntegerField(label=_("Total quantity"), min_value=0, max_value=2_147_483_647)
    per_shopper_limit = forms.IntegerField(
        label=_("Limit per shopper"), min_value=0, max_value=2_147_483_647, initial=1
    )
    channel = forms.ChoiceField(label=_("Claim channel"), choices=CLAIM_CHANNELS)
    live_stream_id = forms.IntegerField(
        label=_("Live stream number (live channel)"), required=False, min_value=1, max_value=2**63 - 1
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, store: Store | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.store = store
        if store is not None:
            for name in ("kind", "brands", "categories", "stores"):
                del self.fields[name]
        self.add_test_ids("coupon")

    @classmethod
    def initial_from(cls, template: CouponTemplate) -> dict:
        initial = {
            field: getattr(template, field) for field in cls.base_fields if field not in ("categories", "stores")
        }
        initial["categories"] = list(template.categories.all())
        initial["stores"] = list(template.stores.all())
        return initial

    def data_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        if self.store is None:
            data["categories"] = [c.pk for c in data.get("categories") or []]
            data["stores"] = [s.pk for s in data.get("stores") or []]
        return data


class StorePromotionForm(TestIdMixin, forms.Form):
    """One form for the three kinds; ``kind`` decides which fields matter (the template shows the right ones)."""

    TIER_ROWS = 3

    name = forms.CharField(label=_("Name"), max_length=120)
    valid_from = datetime_field(_("Valid from"))
    valid_to = datetime_field(_("Valid until"))
    exclusive = forms.BooleanField(
        label=_("Exclusive (no store coupons or gifts with it)"), required=False, help_text=""
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    # item discount
    discount_type = forms.ChoiceField(
        label=_("Discount"), choices=[("", "---"), *StorePromotion.DiscountType.choices], required=False
    )
    value = forms.DecimalField(label=_("Value"), max_digits=12, decimal_places=2, required=False)
    skus = forms.ModelMultipleChoiceField(label=_("SKUs"), queryset=SKU.objects.none(), required=False)
    live_stream_id = forms.IntegerField(
        label=_("Only while live stream number ... is live"), required=False, min_value=1, max_value=2**63 - 1
    )
    # store threshold: every/off/cap or tiers
    every = money_field(_("For every (¥)"))
    off = money_field(_("Take off (¥)"))
    cap = money_field(_("At most (¥)"))
    # first-order gift
    threshold = money_field(_("Minimum spend (¥)"))
    first_order_scope = forms.ChoiceField(
        label=_("Who counts as new"), choices=StorePromotion.FirstOrderScope.choices, required=False
    )

    def __init__(self, *args, store: Store, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["skus"].queryset = SKU.objects.filter(store=store).select_related("product").order_by("product")
        self.fields["skus"].label_from_instance = lambda sku: f"{sku.product.title} [{sku.label}] ¥{sku.price}"
        for row in range(1, self.TIER_ROWS + 1):
            self.fields[f"tier_threshold_{row}"] = money_field(_("Tier %(n)s: spend (¥)") % {"n": row})
            self.fields[f"tier_off_{row}"] = money_field(_("Tier %(n)s: off (¥)") % {"n": row})
        self.add_test_ids("promotion")

    @classmethod
    def initial_from(cls, promotion: StorePromotion) -> dict:
        initial = {
            field: getattr(promotion, field)
            for field in (
                "name",
                "valid_from",
                "valid_to",
                "exclusive",
                "is_active",
                "discount_type",
                "value",
                "live_stream_id",
                "every",
                "off",
                "cap",
                "threshold",
                "first_order_scope",
            )  # fmt: skip
        }
        initial["skus"] = list(promotion.skus.all())
        for row, tier in enumerate(promotion.tiers or [], start=1):
            initial[f"tier_threshold_{row}"] = tier["threshold"]
            initial[f"tier_off_{row}"] = tier["off"]
        return initial

    def tier_fields(self):
        return [(self[f"tier_threshold_{row}"], self[f"tier_off_{row}"]) for row in range(1, self.TIER_ROWS + 1)]

    def data_for_service(self) -> dict:
        data = {key: value for key, value in self.cleaned_data.items() if not key.startswith("tier_")}
        data["kind"] = self.kind
        data["skus"] = [sku.pk for sku in data.get("skus") or []]
        tiers = []
        for row in range(1, self.TIER_ROWS + 1):
            threshold, off = self.cleaned_data.get(f"tier_threshold_{row}"), self.cleaned_data.get(f"tier_off_{row}")
            if threshold is not None or off is not None:
                tiers.append({"threshold": threshold, "off": off})
        data["tiers"] = tiers
        return data


class SampleCartForm(forms.Form):
    """A preview cart: a few SKUs (prices from the database) and quantities."""

    ROWS = 4

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "---")] + [
            (
                sku.pk,
                f"[{sku.store.get_brand_display()}] {sku.store.name} · {sku.product.title} [{sku.label}] ¥{sku.price}",
            )
            for sku in sample_skus()
        ]
        for row in range(1, self.ROWS + 1):
            self.fields[f"sample_sku_{row}"] = forms.TypedChoiceField(
                label=_("SKU"), choices=choices, required=False, coerce=int, empty_value=None
            )
            self.fields[f"sample_qty_{row}"] = forms.IntegerField(
                label=_("Quantity"), min_value=1, max_value=999, required=False, initial=1
            )
            self.fields[f"sample_sku_{row}"].widget.attrs["data-testid"] = f"sample-sku-{row}"
            self.fields[f"sample_qty_{row}"].widget.attrs["data-testid"] = f"sample-qty-{row}"

    def rows(self):
        return [(self[f"sample_sku_{row}"], self[f"sample_qty_{row}"]) for row in range(1, self.ROWS + 1)]

    def chosen(self) -> list[tuple[int, int]]:
        picked = []
        for row in range(1, self.ROWS + 1):
            sku_id = self.cleaned_data.get(f"sample_sku_{row}")
            if sku_id:
                picked.append((sku_id, self.cleaned_data.get(f"sample_qty_{row}") or 1))
        return picked
