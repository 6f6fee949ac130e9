"""Workbench: the store's DSR with its trend and the vertical average, and reviews waiting for a reply."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketplace.api import DomainError
from reviews import charts, selectors
from reviews.forms import TextForm
from reviews.services import reviews as review_services
from reviews.workbench import store_dsr_overview
from shops.permissions import Capability, role_allows
from shops.workbench import seller_view

SHOWS = ("unreplied", "all", *selectors.FILTERS)


@seller_view(Capability.VIEW_STORE)
def seller_reviews(request):
    store = request.store
    overview = store_dsr_overview(store)
    show = request.GET.get("show", "unreplied")
    show = show if show in SHOWS else "unreplied"
    page = Paginator(selectors.store_reviews([store.pk], show), 20).get_page(request.GET.get("page"))
    trend = overview["trend"]
    chart = charts.line_chart(
        [row.day for row in trend],
        {
            _("Item as described"): [row.description for row in trend],
            _("Service"): [row.service for row in trend],
            _("Logistics"): [row.logistics for row in trend],
        },
        top=5.0,
        bottom=1.0,
    )
    context = {
        "overview": overview,
        "chart": chart,
        "page": page,
        "show": show,
        "shows": SHOWS,
        "can_reply": role_allows(store.role, Capability.REPLY_REVIEWS),
        "form": TextForm(),
    }
    return render(request, "seller/reviews/list.html", context)


@require_POST
@seller_view(Capability.REPLY_REVIEWS)
def seller_reply(request, pk: int):
    form = TextForm(request.POST)
    try:
        review = review_services.store_review(request.user, pk)
        if review.store_id != request.store.pk:
            raise DomainError(_("No such review."), code="not_found", status_code=404)
        if not form.is_valid():
            raise DomainError(_("Write something first (at most 500 characters)."), code="invalid_text")
        review_services.reply(user=request.user, review_id=pk, text=form.cleaned_data["text"])
    except DomainError as exc:
        if exc.status_code == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Reply posted."))
    return redirect("reviews:seller_reviews")
