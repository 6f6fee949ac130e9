"""Small HTTP helpers shared by the apps' views."""

from __future__ import annotations

from django.utils.http import url_has_allowed_host_and_scheme


def local_url(request, *candidates: str, fallback: str = "/") -> str:
    """The first candidate that is a URL of this site (a "next" field, a Referer), else ``fallback``: a redirect
    never leaves the site whatever a form or header says."""
    for target in candidates:
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return target
    return fallback
