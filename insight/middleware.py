"""Records storefront events from the request/response cycle. A middleware, not the views, because cached
storefront pages (shops.views.page_cache) never run their view: this code runs for every page, cached or not, and
adds nothing to the cache (cookies go on the outgoing response, after the cached bytes were chosen)."""

from __future__ import annotations

from django.conf import settings

from insight import events
from marketplace import redis_writes

PAGES = {
    "shops:product": ("product_view", "pk", "p"),
    "api-product": ("product_view", "pk", "p"),
    "shops:store": ("store_view", "slug", "slug"),
    "livestream:watch": ("live_visit", "pk", "live"),
}
SEARCHES = {"shops:search", "api-products"}


class EventMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        visitor = request.COOKIES.get(events.VISITOR_COOKIE, "")
        fresh = not (0 < len(visitor) <= 40 and visitor.isalnum())
        is_api = request.path.startswith("/api/")
        # An API client without the cookie has no stable id (each call would be a new visitor): only its user counts.
        request.insight_visitor = ("" if is_api else events.new_visitor_id()) if fresh else visitor
        # The view's Redis pushes (customers' footprint of a product page) and this event leave in one pipeline.
        with redis_writes.collected():
            token = events.current_request.set(request)
            try:
                response = self.get_response(request)
            finally:
                events.current_request.reset(token)
            tracked = request.method == "GET" and response.status_code == 200 and events.tracking_allowed(request)
            if tracked:
                self.record(request)
        if tracked and fresh and not is_api and not request.path.startswith(("/static/", "/media/")):
            response.set_cookie(
                events.VISITOR_COOKIE, request.insight_visitor, max_age=events.VISITOR_COOKIE_MAX_AGE,
                secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax",
            )  # fmt: skip
        user = events.resolved_user(request)
        if user is not None and user.is_authenticated and not is_api:
            value = events.user_cookie(request, user.pk)
            if value:
                response.set_cookie(
                    events.USER_COOKIE, value, max_age=events.VISITOR_COOKIE_MAX_AGE,
                    secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax",
                )  # fmt: skip
        return response

    def record(self, request) -> None:
        match = request.resolver_match
        if match is None:
            return
        name = match.view_name
        if name in PAGES:
            kind, kwarg, field = PAGES[name]
            if kwarg in match.kwargs:
                events.push(kind, request, **{field: match.kwargs[kwarg]})
        elif name in SEARCHES:
            query = request.GET.get("q", "").strip()
            if query:
                events.push("search", request, q=query[:100])
