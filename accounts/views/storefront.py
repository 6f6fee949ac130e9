"""Storefront pages of accounts: log in, sign up, the profile with its API token, and the address book."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from accounts import services
from accounts.forms import AddressForm, SignupForm
from accounts.models import Address
from marketplace import navigation
from marketplace.http import local_url


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        services.log_in(self.request, form.get_user())
        return redirect(self.get_success_url())

    def get_success_url(self):
        """Where the visitor was (?next), unless that is just the home page: then where their role works
        (operators the console, merchant staff the workbench, shoppers the home page)."""
        target = self.get_redirect_url()
        if target and target != "/":
            return target
        return landing_for(self.request.user)


def landing_for(user) -> str:
    if user.is_staff:
        return "/ops/"
    if user.store_roles.exists():  # merchant staff (shops.StoreStaff, read through the reverse relation)
        return "/seller/"
    return "/"


def signup(request):
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        services.log_in(request, user)
        messages.success(request, _("Welcome, %(name)s!") % {"name": user})
        return redirect(request.GET.get("next") or "/")
    return render(request, "accounts/signup.html", {"form": form})


@login_required
def profile(request):
    token = Token.objects.filter(user=request.user).first()
    # The shopper's own pages, contributed by the apps ("account" entries of their nav.py).
    return render(request, "accounts/profile.html", {"token": token, "account_menu": navigation.menu("account")})


@login_required
@require_POST
def rotate_token(request):
    services.rotate_api_token(request.user)
    messages.success(request, _("A new API token was created; the old one no longer works."))
    return redirect("accounts:profile")


# --- address book ----------------------------------------------------------------------------------------------


def safe_next(request, fallback: str) -> str:
    return local_url(request, request.POST.get("next", ""), request.GET.get("next", ""), fallback=fallback)


@login_required
def addresses(request):
    form = AddressForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address = form.save(commit=False)
        address.user = request.user
        services.save_address(address, make_default=form.cleaned_data["is_default"] or None)
        messages.success(request, _("Address saved."))
        return redirect(safe_next(request, "accounts:addresses"))
    rows = Address.objects.filter(user=request.user)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "accounts/addresses.html",
        {"addresses": rows, "form": form, "next": safe_next(request, "")},
        status=status,
    )


@login_required
def address_edit(request, pk: int):
    address = get_object_or_404(Address, pk=pk, user=request.user)
    form = AddressForm(request.POST or None, instance=address)
    if request.method == "POST" and form.is_valid():
        services.save_address(form.save(commit=False), make_default=form.cleaned_data["is_default"] or None)
        messages.success(request, _("Address saved."))
        return redirect("accounts:addresses")
    return render(request, "accounts/addresses_edit.html", {"form": form, "address": address})


@login_required
@require_POST
def address_delete(request, pk: int):
    services.delete_address(get_object_or_404(Address, pk=pk, user=request.user))
    messages.success(request, _("Address removed."))
    return redirect("accounts:addresses")


@login_required
@require_POST
def address_default(request, pk: int):
    services.save_address(get_object_or_404(Address, pk=pk, user=request.user), make_default=True)
    return redirect(safe_next(request, "accounts:addresses"))
