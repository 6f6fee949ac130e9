"""E-invoices and the private storage their PDFs are kept in."""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from orders.models.orders import SubOrder


class PrivateStorage(FileSystemStorage):
    """Files only their owners may read, under settings.PRIVATE_MEDIA_ROOT: served through a permission-checked view,
    never under /media/. The location is read at each use, so a test's settings override applies."""

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


def private_storage() -> FileSystemStorage:
    return PrivateStorage()


def invoice_path(invoice, _filename: str) -> str:
    return f"invoices/{invoice.suborder_id}-{uuid.uuid4().hex}.pdf"


class Invoice(models.Model):
    """An e-invoice (电子发票) the shopper asked for at checkout; the store issues it and uploads the PDF."""

    class Kind(models.TextChoices):
        PERSONAL = "personal", _("Personal")
        COMPANY = "company", _("Company")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ISSUED = "issued", _("Issued")

    suborder = models.OneToOneField(SubOrder, on_delete=models.CASCADE, related_name="invoice")
    kind = models.CharField(_("invoice type"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("invoice title"), max_length=120)
    tax_number = models.CharField(_("tax number"), max_length=20, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    pdf = models.FileField(upload_to=invoice_path, storage=private_storage, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="personal") | ~Q(tax_number=""), name="company_invoice_needs_tax_number"
            ),
            models.CheckConstraint(condition=Q(status="requested") | ~Q(pdf=""), name="issued_invoice_has_pdf"),
        ]

    def __str__(self) -> str:
        return f"invoice of {self.suborder_id} ({self.status})"
