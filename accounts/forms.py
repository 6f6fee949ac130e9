from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import Address, User


class SignupForm(UserCreationForm):
    display_name = forms.CharField(label=_("Display name"), max_length=80, required=False)
    email = forms.EmailField(label=_("Email"), required=False)

    class Meta:
        model = User
        fields = ("username", "display_name", "email")


class AddressForm(forms.ModelForm):
    # Not the model field: moving the default is done by accounts.services.save_address, which first clears the
    # old default (the one-default constraint would otherwise refuse the form).
    is_default = forms.BooleanField(label=_("Use as my default address"), required=False)

    class Meta:
        model = Address
        fields = ("recipient", "phone", "province", "city", "district", "detail")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("is_default", self.instance.is_default)
