"""Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one account, or from one IP
address, every way to sign in (the login page, the admin, the API token endpoint) refuses that account / address
for AXES_COOLOFF_TIME, with a clear message: a page, or a JSON 429 on the API."""

from __future__ import annotations

import math

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


class LoginThrottleBackend(AxesStandaloneBackend):
    """Axes' gate, for sign-ins that come with a request. ``authenticate()`` without one (Django's test client
    ``login()``, management commands) has no client to throttle and passes through to the next backend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_message(request) -> str:
    cool_off = get_cool_off(request)
    if not cool_off:
        return _("Too many failed sign-in attempts. This account is locked; contact support.")
    minutes = max(1, math.ceil(cool_off.total_seconds() / 60))
    return _("Too many failed sign-in attempts. Try again in %(minutes)d minutes.") % {"minutes": minutes}


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: a JSON 429 for the API, the lockout page (also 429) for the site and the admin."""
    message = lockout_message(request)
    cool_off = get_cool_off(request)
    headers = {"Retry-After": str(int(cool_off.total_seconds()))} if cool_off else {}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": "locked_out"}, status=429, headers=headers)
    response = render(request, "accounts/locked_out.html", {"message": message}, status=429)
    for name, value in headers.items():
        response[name] = value
    return response
