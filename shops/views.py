from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.decorators import operator_view
from shops import workbench
from shops.workbench import seller_view


def home(request):
    return render(request, "storefront/home.html")


@seller_view()
def seller_dashboard(request):
    return render(request, "seller/dashboard.html")


@require_POST
@seller_view()
def seller_switch(request):
    try:
        store_id = int(request.POST.get("store", ""))
    except ValueError:
        store_id = 0
    if not workbench.switch_store(request, store_id):
        messages.error(request, _("You do not work in that store."))
    return redirect(request.POST.get("next") or "shops:seller_dashboard")


@operator_view
def ops_dashboard(request):
    return render(request, "ops/dashboard.html")
