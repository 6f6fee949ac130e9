"""E-invoices (电子发票): requested by the shopper at checkout (orders.checkout), issued by the store with its PDF,
downloaded by the buyer or the store's staff only."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from marketplace.api import DomainError
from orders.events import why
from orders.lock_objects import locked_invoice
from orders.models import Invoice, SubOrder
from orders.services import record_event
from shops.permissions import Capability, stores_for

MAX_PDF_BYTES = 5 * 1024 * 1024


def check_pdf(upload) -> None:
    """A real PDF (by its content, not its name), of at most MAX_PDF_BYTES."""
    if upload is None:
        raise DomainError(_("Upload the invoice PDF."), code="invalid_pdf")
    if upload.size > MAX_PDF_BYTES:
        raise DomainError(_("The invoice PDF can be at most 5 MB."), code="invalid_pdf")
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if not head.startswith(b"%PDF-"):
        raise DomainError(_("That file is not a PDF."), code="invalid_pdf")
    upload.seek(max(0, upload.size - 2048))
    tail = upload.read()
    upload.seek(0)
    if b"%%EOF" not in tail:
        raise DomainError(_("That PDF is incomplete."), code="invalid_pdf")


def issue(suborder: SubOrder, *, actor, pdf) -> Invoice:
    """The store marks the requested invoice issued with its PDF (issuing again replaces the PDF)."""
    check_pdf(pdf)
    with transaction.atomic():
        invoice = locked_invoice(suborder)
        if invoice is None:
            raise DomainError(_("The shopper did not ask for an invoice."), code="no_invoice", status_code=404)
        if suborder.paid_at is None:
            raise DomainError(_("Invoices are issued for paid orders."), code="not_paid", status_code=409)
        old = invoice.pdf.name if invoice.pdf else ""
        invoice.pdf.save(f"{suborder.number}.pdf", pdf, save=False)
        invoice.status = Invoice.Status.ISSUED
        invoice.issued_at = timezone.now()
        invoice.issued_by = actor
        invoice.save()
        record_event(suborder, "invoice_issued", actor, why("invoice_issued"), {"invoice": invoice.pk})
    if old and old != invoice.pdf.name:
        invoice.pdf.storage.delete(old)
    return invoice


def invoice_for(user, suborder_id) -> Invoice:
    """The issued invoice of a sub-order, for its buyer or the staff of its store; 404 for anyone else."""
    not_found = DomainError(_("Not found."), code="not_found", status_code=404)
    try:
        pk = int(str(suborder_id))
    except (TypeError, ValueError):
        raise not_found from None
    if not user.is_authenticated:
        raise not_found
    invoice = Invoice.objects.select_related("suborder__order").filter(suborder_id=pk).first()
    if invoice is None or invoice.status != Invoice.Status.ISSUED:
        raise not_found
    is_buyer = invoice.suborder.order.shopper_id == user.pk
    is_staff = stores_for(user, Capability.HANDLE_ORDERS).filter(pk=invoice.suborder.store_id).exists()
    if not (is_buyer or is_staff):
        raise not_found
    return invoice
