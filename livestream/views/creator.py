"""Creator pages (/creator/...): profile, own streams, console and metrics."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from livestream import selectors, services
from livestream.forms import CreatorProfileForm, StreamForm
from livestream.models import CreatorPolicy, Stream
from livestream.views.console import console_context, delete_stream_and_go, metrics_context, run_action, stream_fields
from marketplace.api import DomainError

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
            stream = services.create_stream(by=request.user, creator=request.creator, **stream_fields(form))
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
        return delete_stream_and_go(request, stream, reverse("livestream:creator_home"))
    return run_action(request, stream, name, reverse("livestream:creator_console", args=[pk]))


@creator_view()
def creator_metrics(request, pk: int):
    return render(request, "seller/live/metrics.html", metrics_context(_creator_stream(request, pk), "creator"))
