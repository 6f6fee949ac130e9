"""Service promises (服务卡) of stores, the operator's catalogue of allowed promises, and platform holiday windows.

They live in shops because the storefront (store detail API, product page, cart) shows them before anything is
bought; logistics and refunds (to the right) enforce them. Imported by shops.models so Django registers them.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from marketplace.money import MoneyField

NO_REASON_RETURN_DAYS = 7
DEFAULT_SHIP_WITHIN_HOURS = 48


def default_ship_choices() -> list[int]:
    return [24, 48, 72]


class ServiceCatalogue(models.Model):
    """The operator's catalogue of promises a store may make (one row, pk=1) and the late-shipment penalty."""

    ship_within_choices = ArrayField(models.PositiveSmallIntegerField(), default=default_ship_choices)
    presale_max_days = models.PositiveSmallIntegerField(_("longest pre-sale (days)"), default=60)
    return_excluded_verticals = models.ManyToManyField(
        "shops.Category", blank=True, related_name="+", verbose_name=_("verticals without 7-day returns")
    )
    return_insurance_cap = MoneyField(_("return-shipping insurance cap"), default=Decimal("25.00"))
    late_compensation_rate = models.DecimalField(
        _("late-shipment compensation share"), max_digits=4, decimal_places=3, default=Decimal("0.050")
    )
    late_compensation_cap = MoneyField(_("late-shipment compensation cap"), default=Decimal("50.00"))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="one_service_catalogue"),
            models.CheckConstraint(
                condition=Q(late_compensation_rate__gte=0, late_compensation_rate__lte=1), name="late_rate_is_a_share"
            ),
            models.CheckConstraint(condition=Q(late_compensation_cap__gte=0), name="late_cap_not_negative"),
            models.CheckConstraint(condition=Q(return_insurance_cap__gte=0), name="insurance_cap_not_negative"),
        ]

    def __str__(self) -> str:
        return "service catalogue"

    @classmethod
    def current(cls) -> ServiceCatalogue:
        return cls.objects.get_or_create(pk=1)[0]


class ServiceCard(models.Model):
    """A store's promises. A store without a row promises the defaults (48 h, 7-day returns, no 运费险)."""

    store = models.OneToOneField("shops.Store", on_delete=models.CASCADE, related_name="service_card")
    ship_within_hours = models.PositiveSmallIntegerField(_("ships within (hours)"), default=DEFAULT_SHIP_WITHIN_HOURS)
    # Pre-sale (预售): every order ships by this date instead of within the hours.
    presale_ship_date = models.DateField(_("pre-sale: ships by"), null=True, blank=True)
    no_reason_returns = models.BooleanField(_("7-day no-reason returns"), default=True)
    return_shipping_insurance = models.BooleanField(_("return-shipping insurance (运费险)"), default=False)
    # Where returned goods go (shown to the shopper once a return is approved).
    return_address = models.CharField(_("return address"), max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(ship_within_hours__gte=1), name="ship_within_positive")]

    def __str__(self) -> str:
        return f"service card of {self.store_id}"


class PlatformHoliday(models.Model):
    """A platform-wide logistics pause (e.g. 春节): ship-by and refund-review clocks stop for everyone."""

    name = models.CharField(_("name"), max_length=80)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="holiday_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.starts_on}..{self.ends_on}"

    @classmethod
    def current_or_next(cls, on: datetime.date | None = None) -> PlatformHoliday | None:
        """The holiday running on ``on`` (default today), else none: the product page says "ships after"."""
        on = on or timezone.localdate()
        return cls.objects.filter(starts_on__lte=on, ends_on__gte=on).order_by("-ends_on").first()

    @classmethod
    def first_starting(cls, after: datetime.date, until: datetime.date) -> PlatformHoliday | None:
        """The first holiday that starts after ``after`` and no later than ``until``."""
        return cls.objects.filter(starts_on__gt=after, starts_on__lte=until).order_by("starts_on", "-ends_on").first()
