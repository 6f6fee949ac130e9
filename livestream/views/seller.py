"""Workbench pages (/seller/live/...): the current store's streams, console, metrics and creator policy."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from livestream import selectors, services
from livestream.forms import CreatorPolicyForm, StreamForm
from livestream.models import Stream
from livestream.views.console import console_context, delete_stream_and_go, metrics_context, run_action, stream_fields
from marketplace.api import DomainError
from shops.permissions import Capability
from shops.workbench import seller_view

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
            stream = services.create_stream(by=request.user, store=request.store, **stream_fields(form))
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Stream scheduled. Add the products you will present."))
            return redirect("livestream:seller_console", pk=stream.pk)
    return render(request, "seller/live/new.html", {"form": form, "base_template": "seller/base.html"})


@seller_view(Capability.MANAGE_LIVESTREAM)
def seller_console(request, pk: int):
    return render(request, "seller/live/console.html", console_context(request, _store_stream(request, pk), "seller"))


@require_POST
@seller_view(Capability.MANAGE_LIVESTREAM)
def seller_action(request, pk: int, name: str):
    stream = _store_stream(request, pk)
    if name == "delete":
        return delete_stream_and_go(request, stream, reverse("livestream:seller_streams"))
    return run_action(request, stream, name, reverse("livestream:seller_console", args=[pk]))


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
