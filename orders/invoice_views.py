"""Invoice pages: the PDF download shared by the shopper's order and the workbench (buyer and store staff only),
and the workbench upload that marks an invoice issued."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from marketplace.api import DomainError
from orders import invoices, selectors
from shops.permissions import Capability
from shops.workbench import seller_view


@require_safe
def invoice_pdf(request, suborder_id: int):
    try:
        invoice = invoices.invoice_for(request.user, suborder_id)
    except DomainError as exc:
        raise Http404(exc.message) from exc
    response = FileResponse(
        invoice.pdf.open("rb"), content_type="application/pdf", filename=f"invoice-{invoice.suborder.number}.pdf"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@seller_view(Capability.HANDLE_ORDERS)
def seller_invoice(request, pk: int):
    """The workbench marks the requested invoice issued with its PDF."""
    suborder = selectors.suborder_for_merchant(request.user, pk, request.store)
    try:
        invoices.issue(suborder, actor=request.user, pdf=request.FILES.get("pdf"))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Invoice issued: the shopper can download it from the order."))
    return redirect("orders:seller_order_detail", pk=pk)
