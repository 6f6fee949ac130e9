"""The merchant workbench shell: which store the user is working in, and access checks for seller pages.

Every seller view in every app is wrapped with ``seller_view(capability)``: it resolves the current store from
the session (one login switches between all the merchant's stores, both brands), checks the staff role's
capability (shops.permissions) and exposes it as ``request.store``.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from marketplace.navigation import menu
from shops.models import StaffRole, Store, StoreStaff
from shops.permissions import Capability, role_allows

SESSION_KEY = "seller_store_id"


def staff_roles(user) -> dict[int, str]:
    """store id -> role, for every store the user works in."""
    if not user.is_authenticated:
        return {}
    return dict(StoreStaff.objects.filter(user=user).values_list("store_id", "role"))


def current_store(request) -> Store | None:
    roles = staff_roles(request.user)
    if not roles:
        return None
    store_id = request.session.get(SESSION_KEY)
    if store_id not in roles:
        store_id = min(roles)
        request.session[SESSION_KEY] = store_id
    store = Store.objects.select_related("merchant").get(pk=store_id)
    store.role = roles[store_id]
    # The role as the reader says it (店主), not its code ("owner").
    store.role_label = StaffRole(store.role).label if store.role in StaffRole.values else store.role
    return store


def switch_store(request, store_id: int) -> bool:
    if store_id not in staff_roles(request.user):
        return False
    request.session[SESSION_KEY] = store_id
    return True


def seller_view(capability: Capability = Capability.VIEW_STORE):
    """Decorator for workbench views: login, staff of some store, and `capability` in the current one."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            store = current_store(request)
            if store is None:
                return render(request, "seller/not_staff.html", status=403)
            if not role_allows(store.role, capability):
                raise PermissionDenied("Your role in this store cannot do this.")
            request.store = store
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def seller_context(request) -> dict:
    """Template context processor for the workbench layout (store switcher and role-filtered menu)."""
    if not request.path.startswith("/seller/") or not request.user.is_authenticated:
        return {}
    store = getattr(request, "store", None) or current_store(request)
    if store is None:
        return {}
    roles = staff_roles(request.user)
    stores = Store.objects.filter(pk__in=roles).order_by("brand", "name")
    return {
        "current_store": store,
        "seller_stores": stores,
        "seller_menu": menu("seller", lambda capability: role_allows(store.role, capability)),
    }
