from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from marketplace.http import local_url


def login_then_back(view):
    """A button a visitor may press before logging in (follow, favourite): the login comes back to the page the
    button was on (the form's "next", else the Referer), not to the POST-only action, which a GET would refuse."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        return redirect_to_login(local_url(request, request.POST.get("next", ""), request.headers.get("Referer", "")))

    return wrapped


def operator_view(view):
    """Console (/ops/) views: operators only (staff users)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_operator:
            raise PermissionDenied("Operators only.")
        return view(request, *args, **kwargs)

    return wrapped


class IsOperator(BasePermission):
    message = "Operators only."

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.is_operator)
