"""Pages: the live list and watch page (storefront), the host console and metrics in the workbench (/seller/live/)
for store streams and under /creator/ for creators, the store's creator policy. Every rule is in services."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from livestream import charts, selectors, services
from livestream.forms import CouponDropForm, CreatorPolicyForm, CreatorProfileForm, StreamForm
from livestream.models import CreatorPolicy, Mute, Stream
from marketplace.api import DomainError
from shops.models import Product
from shops.permissions import Capability
from shops.workbench import seller_view

# -- storefront ---------------------------------------------------------------------------------------------------


def live_list(request):
    return render(request, "storefront/live/list.html", selectors.live_list())


def watch(request, pk: int):
    stream = get_object_or_404(selectors.public_streams(), pk=pk)
    return render(
        request,
        "storefront/live/watch.html",
        {
            "stream": stream,
            "featured": [(item, selectors.featured_payload(item)) for item in selectors.featured_products(stream)],
            "drops": [selectors.drop_payload(drop) for drop in selectors.open_drops(stream)],
            "ws_path": f"/ws/live/{stream.pk}/",
        },
    )


def products_partial(request, pk: int):
    """The product list, re-fetched by the page (htmx) when the host changes products or live prices."""
    stream = get_object_or_404(selectors.public_streams(), pk=pk)
    featured = [(item, selectors.featured_payload(item)) for item in selectors.featured_products(stream)]
    return render(request, "storefront/live/_products.html", {"stream": stream, "featured": featured})


@require_POST
def add_to_cart(request, pk: int):
    """Add a featured product to the cart without leaving the room; the line carries the stream's attribution."""
    from orders import cart as carts

    stream = get_object_or_404(selectors.public_streams(), pk=pk)
    context = {"stream": stream, "ok": False}
    if not request.user.is_authenticated:
        context["message"] = _("Log in to buy.")
        context["login"] = True
        return render(request, "storefront/live/_cart_result.html", context)
    sku_id = request.POST.get("sku", "")
    sku_pk = int(sku_id) if sku_id.isdigit() and int(sku_id) <= services.MAX_ID else 0
    if not stream.featured.filter(product__skus__pk=sku_pk).exists():
        context["message"] = _("This product is not in the stream.")
        return render(request, "storefront/live/_cart_result.html", context, status=400)
    try:
        carts.add_item(
            carts.cart_for(request),
            sku_id=sku_id,
            quantity=request.POST.get("quantity", "1"),
            source=stream.source,
            shopper=request.user,
        )
    except DomainError as exc:
        context["message"] = exc.message
        return render(request, "storefront/live/_cart_result.html", context, status=400)
    context.update(ok=True, message=_("Added to your cart."))
    if not request.htmx:  # a page without JavaScript: back to the room with a message
        messages.success(request, context["message"])
        return redirect("livestream:watch", pk=pk)
    return render(request, "storefront/live/_cart_result.html", context)


@require_POST
def claim(request, pk: int, drop_id: int):
    """Claim a dropped coupon over HTTP (the room does it over the socket; this serves pages without it)."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("livestream:watch", args=[pk]))
    try:
        services.claim_drop(pk, drop_id, request.user)
        messages.success(request, _("Coupon claimed. It is in My coupons."))
    except DomainError as exc:
        if exc.status_code == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
    return redirect("livestream:watch", pk=pk)


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


# -- workbench: store streams -------------------------------------------------------------------------------------


def _store_stream(request, pk: int) -> Stream:
    return get_object_or_404(Stream.objects.select_related("store"), pk=pk, store=request.store)


@seller_view(Capability.MANAGE_LIVESTREAM)
def seller_streams(request):
    streams = Stream.objects.filter(store=request.store).annotate(products=Count("featured")).order_by("-scheduled_at")
    return render(
        request,
        "seller/live/list.html",
        {"rows": selectors.streams_summary(streams[:50]), "policy": services.policy_for(request.store)},
    )


@seller_view(Capability.MANAGE_LIVESTREAM)
def seller_stream_new(request):
    form = StreamForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            stream = services.create_stream(by=request.user, store=request.store, **_stream_fields(form))
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Stream scheduled. Add the products you will present."))
            return redirect("livestream:seller_console", pk=stream.pk)
    return render(request, "seller/live/new.html", {"form": form, "base_template": "seller/base.html"})


def _stream_fields(form) -> dict:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "description": data["description"],
        "scheduled_at": data["scheduled_at"],
        "playback_url": data["playback_url"],
        "cover": data.get("cover"),
    }


@seller_view(Capability.MANAGE_LIVESTREAM)
def seller_console(request, pk: int):
    return render(request, "seller/live/console.html", console_context(request, _store_stream(request, pk), "seller"))


@require_POST
@seller_view(Capability.MANAGE_LIVESTREAM)
def seller_action(request, pk: int, name: str):
    stream = _store_stream(request, pk)
    if name == "delete":
        return _delete(request, stream, reverse("livestream:seller_streams"))
    return run_action(request, stream, name, reverse("livestream:seller_console", args=[pk]))


def _delete(request, stream, list_url):
    try:
        services.delete_stream(stream)
        messages.success(request, _("Stream deleted."))
        return redirect(list_url)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect(request.path.rsplit("/action/", 1)[0] + "/")


@seller_view(Capability.MANAGE_LIVESTREAM)
def seller_metrics(request, pk: int):
    return render(request, "seller/live/metrics.html", metrics_context(_store_stream(request, pk), "seller"))


@seller_view(Capability.MANAGE_LIVESTREAM)
def seller_creator_policy(request):
    policy = services.policy_for(request.store)
    form = CreatorPolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_creator_policy(
                request.store,
                allows_creators=form.cleaned_data["allows_creators"],
                commission_rate=form.cleaned_data["commission_rate"],
                by=request.user,
            )
            messages.success(request, _("Creator settings saved."))
            return redirect("livestream:seller_creator_policy")
        except DomainError as exc:
            form.add_error(None, exc.message)
    creator_streams = (
        Stream.objects.filter(host_kind=Stream.HostKind.CREATOR, featured__store=request.store)
        .select_related("creator")
        .distinct()
        .order_by("-scheduled_at")[:50]
    )
    rows = [(stream, selectors.store_sales_in_stream(stream, request.store)) for stream in creator_streams]
    return render(request, "seller/live/creators.html", {"form": form, "creator_rows": rows})


# -- creator pages ------------------------------------------------------------------------------------------------


def creator_view(require_profile: bool = True):
    """Creator pages: logged in (the normal login) and, except for the profile page itself, a creator profile."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            request.creator = services.creator_for(request.user)
            if require_profile and request.creator is None:
                messages.info(request, _("Create your creator profile to host live streams."))
                return redirect("livestream:creator_profile")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _creator_stream(request, pk: int) -> Stream:
    return get_object_or_404(Stream.objects.select_related("creator"), pk=pk, creator=request.creator)


@creator_view()
def creator_home(request):
    streams = Stream.objects.filter(creator=request.creator).order_by("-scheduled_at")
    stores = CreatorPolicy.objects.filter(allows_creators=True).select_related("store").order_by("store__name")
    return render(
        request,
        "creator/home.html",
        {"rows": selectors.streams_summary(streams[:50]), "stores": stores, "creator": request.creator},
    )


@creator_view(require_profile=False)
def creator_profile(request):
    form = CreatorProfileForm(request.POST or None, instance=request.creator)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_creator_profile(
                request.user, display_name=form.cleaned_data["display_name"], bio=form.cleaned_data["bio"]
            )
            messages.success(request, _("Creator profile saved."))
            return redirect("livestream:creator_home")
        except DomainError as exc:
            form.add_error(None, exc.message)
    return render(request, "creator/profile.html", {"form": form})


@creator_view()
def creator_stream_new(request):
    form = StreamForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            stream = services.create_stream(by=request.user, creator=request.creator, **_stream_fields(form))
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Stream scheduled. Add the products you will present."))
            return redirect("livestream:creator_console", pk=stream.pk)
    return render(request, "seller/live/new.html", {"form": form, "base_template": "creator/base.html"})


@creator_view()
def creator_console(request, pk: int):
    return render(
        request, "seller/live/console.html", console_context(request, _creator_stream(request, pk), "creator")
    )


@require_POST
@creator_view()
def creator_action(request, pk: int, name: str):
    stream = _creator_stream(request, pk)
    if name == "delete":
        return _delete(request, stream, reverse("livestream:creator_home"))
    return run_action(request, stream, name, reverse("livestream:creator_console", args=[pk]))


@creator_view()
def creator_metrics(request, pk: int):
    return render(request, "seller/live/metrics.html", metrics_context(_creator_stream(request, pk), "creator"))
