"""The invoice PDF download, shared by the shopper's order page and the workbench (buyer and store staff only)."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from marketplace.api import DomainError
from orders import invoices


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
