"""Merchants, stores of both brands, their brand authorizations, staff and holiday closures."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Brand(models.TextChoices):
    TAOBAO = "TAOBAO", _("Taobao")
    TMALL = "TMALL", _("Tmall")


class Merchant(models.Model):
    """A business (or an individual, on Taobao) that owns stores."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        COMPANY = "company", _("Company")

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMPANY)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_merchants")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Store(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting brand approval")
        OPEN = "open", _("Open")
        SUSPENDED = "suspended", _("Suspended")

    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="stores")
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    brand = models.CharField(_("brand"), max_length=10, choices=Brand.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    description = models.TextField(_("description"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="stores/", blank=True)
    # Ranking signal for "recommended" sort. A holiday closure never lowers it (see docs/SEARCH.md).
    rating = models.DecimalField(_("rating"), max_digits=3, decimal_places=2, default=4.80)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(brand__in=Brand.values), name="store_brand_valid")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def brand_approved(self) -> bool:
        return self.brand_authorizations.filter(status=BrandAuthorization.Status.APPROVED).exists()

    def clean(self):
        if self.status == self.Status.OPEN and self.brand == Brand.TMALL and self.pk and not self.brand_approved():
            raise ValidationError(_("A Tmall store opens only after an operator approves its brand authorization."))

    def active_closure(self, on: datetime.date | None = None) -> StoreClosure | None:
        on = on or timezone.localdate()
        return self.closures.filter(starts_on__lte=on, ends_on__gte=on).order_by("ends_on").last()


class BrandAuthorization(models.Model):
    """A Tmall store's proof that it may sell a brand; an operator approves or rejects it with a reason."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="brand_authorizations")
    brand_name = models.CharField(_("brand name"), max_length=120)
    document = models.FileField(_("authorization document"), upload_to="brand-docs/", blank=True)
    document_note = models.TextField(_("document details"), blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    decision_reason = models.TextField(_("decision reason"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["submitted_at"]

    def __str__(self) -> str:
        return f"{self.brand_name} ({self.store})"


class StaffRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    OPERATIONS = "operations", _("Operations")
    CUSTOMER_SERVICE = "customer_service", _("Customer service")


class StoreStaff(models.Model):
    """Who works in which store, in which role. Capabilities per role: shops/permissions.py."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="store_roles")
    role = models.CharField(_("role"), max_length=20, choices=StaffRole.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["store", "user"], name="one_role_per_store_user")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.store} ({self.role})"


class StoreClosure(models.Model):
    """Holiday closure (一键打烊): the store's products show as closed and cannot be bought during the range."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="closures")
    starts_on = models.DateField(_("closed from"))
    ends_on = models.DateField(_("closed until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="closure_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.store} closed {self.starts_on}..{self.ends_on}"

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A closure cannot end before it starts.")})
