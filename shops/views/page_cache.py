"""Caching of storefront pages: fragments and whole pages shared by every visitor, with each visitor's own parts
put in per request.

Two cache layers, both keyed by the catalog version (bumped by every catalog write) and short-lived (shops/caching.py):
- fragments: the expensive parts (result grids, the product body, the home sections) are rendered once;
- whole pages, shared by every visitor: nothing on a storefront page depends on the visitor except the CSRF token
  and the account menu in the top bar, so the page is cached with placeholders for both and each request puts in
  its own. A visitor with a flash message pending gets a fully rendered page.

Hot pages and fragments are also kept in each process for a few seconds, saving the Redis round trip. A product
page lives longer (caching.PRODUCT_PAGE_TTL) and is dropped when the product's stock moves.

The account menu shows who is signed in and nothing else, so a page for a signed-in shopper needs only that:
resolving it means loading the session and then the user (two Redis round trips, most of the cost of a cached
page). So the browser keeps it: the first page sets a signed cookie (MENU_COOKIE) with the name and staff flag,
signed with a salt that holds the session key (it cannot be moved to another session) and honoured for
MENU_COOKIE_MAX_AGE seconds. The menu is display only: every action (a form post, the cart, an order, an API call)
goes through full authentication, so at worst a user renamed or deactivated elsewhere still sees the old name on
public pages for those minutes. Signing in or out changes or removes the session cookie, which voids the menu
cookie at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from types import SimpleNamespace
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from marketplace import navigation
from shops import caching
from shops.caching import LocalCache

CSRF_PLACEHOLDER = "__shops_csrf_placeholder__"
ACCOUNT_PLACEHOLDER = "__shops_account_placeholder__"
MENU_COOKIE = "menu"
MENU_COOKIE_MAX_AGE = 300
MENU_LIMIT = 4_096


@dataclass(frozen=True)
class Visitor:
    """What the account menu shows of a visitor; duck-types the parts of a user that _account.html reads."""

    name: str = ""
    is_authenticated: bool = False
    is_staff: bool = False

    def __str__(self) -> str:
        return self.name


def _cut(html: str) -> tuple[bytes, ...]:
    return tuple(part.encode() for part in html.split(CSRF_PLACEHOLDER))


@dataclass(frozen=True)
class SharedPage:
    """A rendered page cut at its placeholders and encoded once: serving it joins bytes."""

    before_menu: tuple[bytes, ...]  # the page up to the account menu, cut at each CSRF placeholder
    after_menu: tuple[bytes, ...] | None  # None: the page has no account menu

    @classmethod
    def cut(cls, html: str) -> SharedPage:
        before, found, after = html.partition(ACCOUNT_PLACEHOLDER)
        return cls(_cut(before), _cut(after) if found else None)

    def personal(self, menu: tuple[bytes, ...], csrf_token: str) -> bytes:
        token = csrf_token.encode()
        if self.after_menu is None:
            return token.join(self.before_menu)
        return b"".join((token.join(self.before_menu), token.join(menu), token.join(self.after_menu)))


ANONYMOUS = Visitor()
local_pages = caching.local_pages
# Rendered menus never go stale by themselves: the key holds everything the menu shows.
_menus = LocalCache(MENU_LIMIT, 3600)


def cached(key: str, build, ttl: int = caching.FRAGMENT_TTL):
    """The value under `key` from this process, else from Redis, else built and stored in both."""
    if caching.afresh():
        value = None
    else:
        value = local_pages.get(key)
        if value is not None:
            return value
        value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, ttl)
    local_pages.set(key, value)
    return value


def _menu_salt(session_key: str) -> str:
    return f"shops.page_cache.menu:{session_key}"


def visitor_of(request) -> tuple[Visitor, str | None]:
    """Who the account menu shows, and the menu cookie to set when it had to be looked up."""
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not session_key:
        return ANONYMOUS, None
    try:
        name, authenticated, staff = signing.loads(
            request.COOKIES.get(MENU_COOKIE, ""), salt=_menu_salt(session_key), max_age=MENU_COOKIE_MAX_AGE
        )
        return Visitor(str(name), bool(authenticated), bool(staff)), None
    except (signing.BadSignature, TypeError, ValueError):
        pass  # none yet, expired, or made for another session
    user = request.user
    visitor = Visitor(str(user), True, user.is_staff) if user.is_authenticated else ANONYMOUS
    fields = [visitor.name, visitor.is_authenticated, visitor.is_staff]
    return visitor, signing.dumps(fields, salt=_menu_salt(session_key))


def account_menu(request, visitor: Visitor) -> tuple[bytes, ...]:
    """The visitor's part of the top bar, cut where the caller puts in the CSRF token."""
    # Signed-out visitors get a log-in link back to this page.
    key = (visitor, get_language(), "" if visitor.is_authenticated else request.path)
    menu = _menus.get(key)
    if menu is None:
        if visitor.is_authenticated:
            html = _render_menu(visitor, request.path)
        else:
            # One rendering per language; each page's path goes into its log-in link (a never-seen page renders none).
            signed_out = _menus.get((visitor, get_language(), MENU_PATH_TOKEN))
            if signed_out is None:
                signed_out = _render_menu(visitor, MENU_PATH_TOKEN)
                _menus.set((visitor, get_language(), MENU_PATH_TOKEN), signed_out)
            html = signed_out.replace(MENU_PATH_TOKEN, quote(request.path, safe="/"))  # as the urlencode filter does
        menu = _cut(html)
        _menus.set(key, menu)
    return menu


MENU_PATH_TOKEN = "__shops_menu_path__"


def _render_menu(visitor: Visitor, path: str) -> str:
    return render_to_string("_account.html", {
        "user": visitor, "request": SimpleNamespace(path=path), "csrf_token": CSRF_PLACEHOLDER,
        "ops_menu": navigation.menu("ops") if visitor.is_staff else [],
    })  # fmt: skip


def _has_pending_messages(request) -> bool:
    # The default (fallback) message storage always leaves a cookie, even when the messages overflow to the session.
    return "messages" in request.COOKIES


def shared_page_cache(view=None, *, ttl: int = caching.FRAGMENT_TTL):
    """Serve GET pages from one cache shared by every visitor, signed in or not, punching in each visitor's own
    parts: the CSRF token and the account menu. A visitor with a message to show gets a fully rendered page.

    `ttl` is for the page's canonical URL, the one caching.forget_products drops; with a query string a page keeps
    FRAGMENT_TTL."""
    if view is None:
        return lambda view: shared_page_cache(view, ttl=ttl)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != "GET" or request.htmx or _has_pending_messages(request):
            return view(request, *args, **kwargs)
        key = caching.page_key(get_language(), request.get_full_path())
        page = None if caching.afresh() else local_pages.get(key)
        if page is None:
            html = None if caching.afresh() else cache.get(key)
            if html is None:
                request.render_shared_page = True
                response = view(request, *args, **kwargs)
                if response.status_code != 200 or set(response.cookies) - {settings.CSRF_COOKIE_NAME}:
                    return response  # an error, or the view started something visitor-specific: never share it
                html = response.content.decode()
                cache.set(key, html, caching.FRAGMENT_TTL if request.GET else ttl)
            page = SharedPage.cut(html)
            local_pages.set(key, page)
        visitor, menu_cookie = visitor_of(request)
        response = HttpResponse(page.personal(account_menu(request, visitor), get_token(request)))
        if menu_cookie:
            response.set_cookie(
                MENU_COOKIE, menu_cookie, max_age=MENU_COOKIE_MAX_AGE, secure=settings.SESSION_COOKIE_SECURE,
                httponly=True, samesite="Lax",
            )  # fmt: skip
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapped


def render_page(request, template: str, context: dict):
    if getattr(request, "render_shared_page", False):
        context = {**context, "csrf_token": CSRF_PLACEHOLDER, "account_placeholder": ACCOUNT_PLACEHOLDER}
    return render(request, template, context)
