from django import forms
from django.utils.translation import gettext_lazy

from shops.models import Category


class CommissionRateForm(forms.Form):
    vertical = forms.ModelChoiceField(
        label=gettext_lazy("Vertical"), queryset=Category.objects.filter(parent__isnull=True), required=False,
        empty_label=gettext_lazy("Any vertical"),
    )  # fmt: skip
    brand = forms.ChoiceField(
        label=gettext_lazy("Brand"),
        required=False,
        choices=[("", gettext_lazy("Any brand")), ("TAOBAO", "Taobao"), ("TMALL", "Tmall")],
    )
    percent = forms.DecimalField(label=gettext_lazy("Rate (%)"), min_value=0, max_value=50, decimal_places=2)
