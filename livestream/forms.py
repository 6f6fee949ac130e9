"""HTML forms of the host console and creator pages. They only shape input; livestream.services decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from livestream.models import Creator, CreatorPolicy, Stream


class StreamForm(forms.ModelForm):
    scheduled_at = forms.DateTimeField(
        label=_("Scheduled for"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )

    class Meta:
        model = Stream
        fields = ["title", "description", "scheduled_at", "playback_url", "cover"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "playback_url": _("What the player plays: an HLS/MP4 URL from your streaming provider, or a path here."),
        }


class CreatorPolicyForm(forms.ModelForm):
    class Meta:
        model = CreatorPolicy
        fields = ["allows_creators", "commission_rate"]


class CreatorProfileForm(forms.ModelForm):
    class Meta:
        model = Creator
        fields = ["display_name", "bio"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 3})}


class CouponDropForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120, required=False)
    off = forms.DecimalField(label=_("Face value"), max_digits=12, decimal_places=2, min_value=0)
    threshold = forms.DecimalField(label=_("Minimum spend"), max_digits=12, decimal_places=2, min_value=0)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=100_000)
    per_shopper_limit = forms.IntegerField(label=_("Limit per shopper"), min_value=1, max_value=10, initial=1)
    valid_days = forms.IntegerField(label=_("Valid for days after claim"), min_value=1, max_value=90, initial=7)
