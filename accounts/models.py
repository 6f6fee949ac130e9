from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """Everyone who logs in: shoppers, merchant staff, creators and operators (is_staff).

    What a user may do in a store comes from shops.StoreStaff; operators are staff users.
    """

    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)

    @property
    def is_operator(self) -> bool:
        return self.is_active and self.is_staff

    def __str__(self) -> str:
        return self.display_name or self.username


phone_validator = RegexValidator(r"^\+?[0-9][0-9 -]{5,18}$", _("Enter a valid phone number."))


class Address(models.Model):
    """A shopper's delivery address (address book)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="addresses")
    recipient = models.CharField(_("recipient"), max_length=60)
    phone = models.CharField(_("phone"), max_length=20, validators=[phone_validator])
    province = models.CharField(_("province"), max_length=40)
    city = models.CharField(_("city"), max_length=40)
    district = models.CharField(_("district"), max_length=40, blank=True)
    detail = models.CharField(_("street address"), max_length=200)
    is_default = models.BooleanField(_("default"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_default", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(is_default=True), name="one_default_address_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.recipient} {self.province}{self.city}{self.district}{self.detail}"

    def one_line(self) -> str:
        return f"{self.recipient}, {self.phone}, {self.province} {self.city} {self.district} {self.detail}"
