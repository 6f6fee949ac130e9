"""Console (operators): gateway notifications that do not get through, and re-sending them."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import operator_view
from marketplace.api import DomainError
from payments import selectors, services


@operator_view
def stuck_payments(request):
    page = Paginator(selectors.stuck_deliveries(), 50).get_page(request.GET.get("page"))
    return render(request, "ops/payments/stuck.html", {"page": page})


@require_POST
@operator_view
def redeliver(request, pk: int):
    try:
        services.redeliver(pk)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The notification is being delivered again."))
    return redirect("payments:ops_stuck")
