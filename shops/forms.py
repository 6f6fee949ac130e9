"""Workbench and console forms. They check shapes; the business rules are in shops.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from marketplace.api import DomainError
from shops import services
from shops.models import Brand, Category, Product, ShippingTemplate, StaffRole


def category_choices():
    from shops.selectors import verticals

    choices = []
    for vertical in verticals():
        choices.append((vertical["id"], vertical["name"]))
        choices.extend((sub["id"], f"— {sub['name']}") for sub in vertical["subcategories"])
    return choices


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.ImageField):
    """Several pictures in one file input; each is checked as an image."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        return [super(MultipleImageField, self).clean(item, initial) for item in files]


class ProductForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    title_en = forms.CharField(label=_("English title"), max_length=200, required=False)
    category = forms.TypedChoiceField(label=_("Category"), coerce=int)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=Product.Status.choices, initial=Product.Status.ACTIVE)
    featured = forms.BooleanField(label=_("Featured"), required=False)
    image = forms.ImageField(label=_("Image"), required=False)
    gallery = MultipleImageField(
        label=_("More pictures"),
        required=False,
        help_text=_("Shown after the main image in the product page's gallery, up to 8; new ones replace them."),
    )
    clear_gallery = forms.BooleanField(label=_("Remove the extra pictures"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices()

    def clean_gallery(self):
        pictures = self.cleaned_data.get("gallery") or []
        if len(pictures) > services.MAX_GALLERY:
            raise forms.ValidationError(_("A product shows at most %(n)s more pictures.") % {"n": services.MAX_GALLERY})
        return pictures

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["category"] = Category.objects.get(pk=data["category"])
        return data


class SKUForm(forms.Form):
    code = forms.CharField(label=_("SKU code"), max_length=64, required=False)
    attributes = forms.CharField(
        label=_("Attributes"), required=False, help_text=_("e.g. 颜色=红; 尺码=M"), max_length=300
    )
    price = forms.DecimalField(label=_("Price"), max_digits=12, decimal_places=2, required=False)
    stock = forms.IntegerField(label=_("Warehouse stock"), required=False)
    is_active = forms.BooleanField(label=_("On sale"), required=False, initial=True)
    per_shopper_limit = forms.IntegerField(label=_("Limit per shopper"), required=False, min_value=1)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data["attributes"] = services.parse_attributes(data.get("attributes") or "")
            if data.get("code"):
                if data.get("price") is None:
                    raise DomainError(_("Give the SKU a price."))
                services.parse_price(data["price"])
                if data.get("stock") is not None:
                    services.parse_quantity(data["stock"])
        except DomainError as error:
            raise forms.ValidationError(error.message) from None
        return data

    def is_blank(self) -> bool:
        return not (self.cleaned_data.get("code") or "").strip()


SKUFormSet = forms.formset_factory(SKUForm, extra=3, max_num=50)


class OutletForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    address = forms.CharField(label=_("Address"), max_length=255)
    latitude = forms.DecimalField(label=_("Latitude"), max_digits=9, decimal_places=6, min_value=-90, max_value=90)
    longitude = forms.DecimalField(label=_("Longitude"), max_digits=9, decimal_places=6, min_value=-180, max_value=180)
    pickup_hours = forms.CharField(label=_("Pickup hours"), max_length=120, initial="10:00-22:00")
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class ClosureForm(forms.Form):
    starts_on = forms.DateField(label=_("Closed from"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Closed until"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("A closure cannot end before it starts."))
        return data


class StoreForm(forms.Form):
    name = forms.CharField(label=_("Store name"), max_length=120)
    brand = forms.ChoiceField(label=_("Brand"), choices=Brand.choices)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class StaffForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=StaffRole.choices)


class BrandAuthorizationForm(forms.Form):
    brand_name = forms.CharField(label=_("Brand name"), max_length=120)
    document = forms.FileField(label=_("Authorization document"), required=False)
    document_note = forms.CharField(
        label=_("Document details"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Trademark registration number, issuer, validity."),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the merchant a reason for the rejection."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"), help_text=_("UTF-8, with a header row."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        try:
            return upload.name, upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from None


class ShippingTemplateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    mode = forms.ChoiceField(label=_("Mode"), choices=ShippingTemplate.Mode.choices)
    free_over = forms.DecimalField(
        label=_("Free over"), max_digits=12, decimal_places=2, required=False, min_value=0,
        help_text=_("Free shipping from this goods amount (after discounts) on; only for “free over an amount”."),
    )  # fmt: skip
    first_fee = forms.DecimalField(label=_("First unit"), max_digits=12, decimal_places=2, min_value=0, initial=0)
    additional_fee = forms.DecimalField(
        label=_("Each additional unit"), max_digits=12, decimal_places=2, min_value=0, initial=0
    )
    regions = forms.CharField(
        label=_("Regions"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One line per region: provinces | first unit | each additional unit | remote (optional). "
                    "Remote regions are never free. e.g. 新疆, 西藏 | 20 | 10 | remote"),
    )  # fmt: skip
    is_default = forms.BooleanField(label=_("Store default (products without a template)"), required=False)
    products = forms.TypedMultipleChoiceField(
        label=_("Products using this template"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, products=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].choices = [(product.pk, product.title) for product in products]


class ServiceCardForm(forms.Form):
    ship_within_hours = forms.TypedChoiceField(label=_("Ships within"), coerce=int)
    presale_ship_date = forms.DateField(
        label=_("Pre-sale: ships by"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty unless every order of the store is a pre-sale."),
    )  # fmt: skip
    no_reason_returns = forms.BooleanField(label=_("7-day no-reason returns"), required=False)
    return_shipping_insurance = forms.BooleanField(label=_("Return shipping insurance (运费险)"), required=False)
    return_address = forms.CharField(label=_("Return address"), max_length=255, required=False)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ship_within_hours"].choices = [(hours, _("%(n)s hours") % {"n": hours}) for hours in choices]


class ServiceCatalogueForm(forms.Form):
    ship_within_choices = forms.CharField(label=_("Ship-within choices (hours, comma-separated)"), max_length=60)
    presale_max_days = forms.IntegerField(label=_("Longest pre-sale (days)"), min_value=1, max_value=365)
    return_excluded_verticals = forms.ModelMultipleChoiceField(
        label=_("Verticals without 7-day returns"), required=False,
        queryset=Category.objects.filter(parent__isnull=True).order_by("position", "id"),
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    return_insurance_cap = forms.DecimalField(label=_("Return shipping insurance cap"), min_value=0, decimal_places=2)
    late_compensation_rate = forms.DecimalField(
        label=_("Late-shipment compensation (share of the order)"), min_value=0, max_value=1, decimal_places=3
    )
    late_compensation_cap = forms.DecimalField(label=_("Late-shipment compensation cap"), min_value=0, decimal_places=2)

    def clean_ship_within_choices(self):
        try:
            return [int(part) for part in self.cleaned_data["ship_within_choices"].split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(_("Whole numbers of hours, separated by commas.")) from None

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["return_excluded_verticals"] = [category.pk for category in data["return_excluded_verticals"]]
        return data


class HolidayForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
