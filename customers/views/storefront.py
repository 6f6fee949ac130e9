"""Shopper pages: stores followed, favourite products, footprints (足迹), and the follow / favourite buttons."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import login_then_back
from customers import selectors
from customers.services import follows, footprints
from marketplace.api import DomainError
from marketplace.http import local_url
from shops.models import Product, Store

PAGE_SIZE = 24


def _back(request, fallback: str):
    return redirect(local_url(request, request.POST.get("next", ""), fallback=fallback))


@login_required
def my_follows(request):
    page = Paginator(selectors.follows_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "storefront/customers/follows.html", {"page": page, "tab": "follows"})


@login_required
def my_favourites(request):
    page = Paginator(selectors.favourites_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "storefront/customers/favourites.html", {"page": page, "tab": "favourites"})


@login_required
def my_footprints(request):
    page = Paginator(selectors.footprints_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "storefront/customers/footprints.html", {"page": page, "tab": "footprints"})


@require_POST
@login_required
def delete_footprint(request, pk: int):
    get_object_or_404(selectors.footprints_of(request.user), pk=pk).delete()
    return redirect("customers:footprints")


@require_POST
@login_required
def clear_footprints(request):
    count = footprints.delete(request.user)
    messages.success(request, _("%(count)s footprints deleted.") % {"count": count})
    return redirect("customers:footprints")


@require_POST
@login_then_back
def toggle_follow(request, slug: str):
    store = get_object_or_404(Store, slug=slug)
    try:
        if request.POST.get("action") == "unfollow":
            follows.unfollow(request.user, store)
            messages.success(request, _("You no longer follow %(store)s.") % {"store": store.name})
        else:
            follows.follow(request.user, store)
            messages.success(request, _("You follow %(store)s.") % {"store": store.name})
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(request, "customers:follows")


@require_POST
@login_then_back
def toggle_favourite(request, pk: int):
    product = get_object_or_404(Product, pk=pk)
    try:
        if request.POST.get("action") == "remove":
            follows.unfavourite(request.user, product)
            messages.success(request, _("Removed from your favourites."))
        else:
            follows.favourite(request.user, product)
            messages.success(request, _("Added to your favourites."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(request, "customers:favourites")
