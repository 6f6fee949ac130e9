"""The host console shared by store hosts (workbench) and creators: page context, actions, metrics page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from livestream import charts, selectors, services
from livestream.forms import CouponDropForm, StreamForm
from livestream.models import CreatorPolicy, Mute, Stream
from marketplace.api import DomainError
from shops.models import Product

# -- host console (shared by store hosts and creators) ------------------------------------------------------------


def console_context(request, stream: Stream, area: str) -> dict:
    return {
        "stream": stream,
        "area": area,
        "base_template": "seller/base.html" if area == "seller" else "creator/base.html",
        "featured": [(item, selectors.featured_payload(item)) for item in selectors.featured_products(stream)],
        "drops": list(stream.coupon_drops.select_related("template")),
        "mutes": list(Mute.objects.filter(stream=stream).select_related("user")),
        "candidates": candidate_products(stream),
        "form": StreamForm(instance=stream),
        "drop_form": CouponDropForm(),
        "metrics": selectors.metrics(stream),
        "ws_path": f"/ws/live/{stream.pk}/",
        # Actions post to <action_base><name>/ (seller and creator consoles share the template).
        "action_base": reverse(f"livestream:{area}_action", args=[stream.pk, "go_live"]).removesuffix("go_live/"),
        "metrics_url": reverse(f"livestream:{area}_metrics", args=[stream.pk]),
    }


def candidate_products(stream: Stream):
    """Products the host may add: the store's own, or (creators) those of stores that allow creators."""
    if stream.is_ended:
        return Product.objects.none()
    queryset = Product.objects.filter(status=Product.Status.ACTIVE).exclude(pk__in=stream.featured.values("product_id"))
    if stream.host_kind == Stream.HostKind.STORE:
        queryset = queryset.filter(store=stream.store)
    else:
        allowed = CreatorPolicy.objects.filter(allows_creators=True).values("store_id")
        queryset = queryset.filter(store_id__in=allowed)
    return queryset.select_related("store").order_by("store__name", "-sales_count")[:200]


ACTIONS = {}


def action(name):
    def register(function):
        ACTIONS[name] = function
        return function

    return register


@action("go_live")
def _go_live(request, stream):
    services.go_live(stream, by=request.user)
    return _("You are live.")


@action("end")
def _end(request, stream):
    services.end_stream(stream, by=request.user, replay_url=request.POST.get("replay_url") or None)
    return _("The stream has ended; its replay is available.")


@action("pin")
def _pin(request, stream):
    featured = request.POST.get("featured")
    services.pin(stream, _int(featured) if featured else None)
    return _("Pinned.") if featured else _("Pin cleared.")


@action("feature")
def _feature(request, stream):
    services.feature_product(stream, _int(request.POST.get("product")), live_price=request.POST.get("live_price"))
    return _("Product added.")


@action("live_price")
def _live_price(request, stream):
    featured = stream.featured.filter(pk=_int(request.POST.get("featured"))).first()
    if featured is None:
        raise DomainError(_("This product is not in the stream."), code="not_featured")
    services.set_live_price(featured, request.POST.get("live_price") or None, stream=stream)
    return _("Live price saved.")


@action("remove")
def _remove(request, stream):
    services.remove_featured(stream, _int(request.POST.get("featured")))
    return _("Product removed.")


@action("move")
def _move(request, stream):
    ids = list(stream.featured.values_list("pk", flat=True))
    featured = _int(request.POST.get("featured"))
    if featured not in ids:
        raise DomainError(_("This product is not in the stream."), code="not_featured")
    index = ids.index(featured)
    target = index - 1 if request.POST.get("direction") == "up" else index + 1
    if 0 <= target < len(ids):
        ids[index], ids[target] = ids[target], ids[index]
        services.reorder_featured(stream, ids)
    return _("Order saved.")


@action("drop")
def _drop(request, stream):
    form = CouponDropForm(request.POST)
    if not form.is_valid():
        raise DomainError(" ".join(str(e) for errors in form.errors.values() for e in errors), code="invalid")
    services.drop_coupon(stream, by=request.user, **form.cleaned_data)
    return _("Coupon dropped in the room.")


@action("mute")
def _mute(request, stream):
    services.mute(stream, _int(request.POST.get("user")), by=request.user, reason=request.POST.get("reason", ""))
    return _("Viewer muted.")


@action("unmute")
def _unmute(request, stream):
    services.unmute(stream, _int(request.POST.get("user")))
    return _("Viewer can chat again.")


@action("edit")
def _edit(request, stream):
    form = StreamForm(request.POST, request.FILES, instance=Stream.objects.get(pk=stream.pk))
    if not form.is_valid():
        raise DomainError(" ".join(str(e) for errors in form.errors.values() for e in errors), code="invalid")
    data = form.cleaned_data
    services.update_stream(
        stream,
        title=data["title"],
        description=data["description"],
        scheduled_at=data["scheduled_at"] if stream.state == Stream.State.SCHEDULED else None,
        playback_url=data["playback_url"],
        cover=request.FILES.get("cover"),
    )
    return _("Saved.")


def _int(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError) as exc:
        raise DomainError(_("Choose an item from the list."), code="invalid") from exc
    if not 1 <= number <= services.MAX_ID:
        raise DomainError(_("Choose an item from the list."), code="invalid")
    return number


def run_action(request, stream: Stream, name: str, console_url: str):
    handler = ACTIONS.get(name)
    if handler is None:
        raise Http404("No such action.")
    try:
        messages.success(request, handler(request, stream))
    except DomainError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    if request.htmx:
        response = redirect(console_url)
        response["HX-Redirect"] = console_url
        return response
    return redirect(console_url)


def metrics_context(stream: Stream, area: str) -> dict:
    series = selectors.timeline(stream)
    return {
        "stream": stream,
        "area": area,
        "base_template": "seller/base.html" if area == "seller" else "creator/base.html",
        "console_url": reverse(f"livestream:{area}_console", args=[stream.pk]),
        "metrics": selectors.metrics(stream),
        "charts": [
            (_("Concurrent viewers"), charts.chart(series["viewers"])),
            (_("Likes"), charts.chart(series["likes"])),
            (_("GMV per minute"), charts.chart(series["gmv"], kind="bar", money=True)),
            (_("Orders per minute"), charts.chart(series["orders"], kind="bar")),
        ],
        "products": product_sales(stream),
    }


def product_sales(stream: Stream) -> list[dict]:
    from django.db.models import Sum

    rows = (
        selectors.attributed_lines(stream)
        .values("sku__product_id", "title")
        .annotate(units=Sum("quantity"), gmv=Sum("payable"), orders=Count("suborder__order", distinct=True))
        .order_by("-gmv")
    )
    return list(rows)


def stream_fields(form) -> dict:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "description": data["description"],
        "scheduled_at": data["scheduled_at"],
        "playback_url": data["playback_url"],
        "cover": data.get("cover"),
    }


def delete_stream_and_go(request, stream, list_url):
    try:
        services.delete_stream(stream)
        messages.success(request, _("Stream deleted."))
        return redirect(list_url)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(request.path.rsplit("/action/", 1)[0] + "/")
