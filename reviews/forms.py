"""HTML forms of reviews (the API takes the same fields; reviews.services checks the rules for both)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from reviews import rules

STARS = [(n, str(n)) for n in range(5, 0, -1)]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; reviews.photos checks each (type, size, count)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*", "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class ReviewForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("Rating"), choices=STARS, coerce=int, widget=forms.RadioSelect)
    text = forms.CharField(label=_("Your review"), max_length=rules.MAX_TEXT, required=False, widget=forms.Textarea(
        attrs={"rows": 4, "maxlength": rules.MAX_TEXT}))  # fmt: skip
    dsr_description = forms.TypedChoiceField(
        label=_("Item as described"), choices=STARS, coerce=int, widget=forms.RadioSelect
    )
    dsr_service = forms.TypedChoiceField(label=_("Service"), choices=STARS, coerce=int, widget=forms.RadioSelect)
    dsr_logistics = forms.TypedChoiceField(label=_("Logistics"), choices=STARS, coerce=int, widget=forms.RadioSelect)
    anonymous = forms.BooleanField(label=_("Post anonymously"), required=False)
    photos = MultipleFileField(label=_("Photos"), required=False, help_text=_("Up to 6 images, 5 MB each."))


class TextForm(forms.Form):
    text = forms.CharField(label=_("Text"), max_length=rules.MAX_TEXT, widget=forms.Textarea(
        attrs={"rows": 3, "maxlength": rules.MAX_TEXT}))  # fmt: skip


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Your question"), max_length=200)


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Your answer"), max_length=300)


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
