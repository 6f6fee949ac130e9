from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission


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
