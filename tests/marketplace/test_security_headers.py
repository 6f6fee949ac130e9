"""Security headers: a Content-Security-Policy the pages pass without inline script, no framing, and hardened
production cookies and HSTS."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tests.accounts.factories import OperatorFactory, UserFactory
from tests.marketplace.test_settings_and_api import BASE_DIR, production_environment
from tests.shops.factories import SKUFactory

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)


def script_sources(policy: str) -> str:
    return next(part for part in policy.split(";") if part.strip().startswith("script-src"))


def assert_passes_the_policy(response):
    policy = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in script_sources(policy) and "'unsafe-eval'" not in script_sources(policy)
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    html = response.content.decode()
    assert not INLINE_SCRIPT.search(html), INLINE_SCRIPT.search(html).group(0)
    assert not EVENT_HANDLER.search(html), EVENT_HANDLER.search(html).group(0)


@pytest.mark.django_db
def test_pages_of_every_audience_pass_the_content_security_policy():
    sku = SKUFactory()
    store = sku.product.store
    pages = {
        None: ["/", f"/p/{sku.product.pk}/", "/accounts/login/", "/api/docs/", "/admin/login/", "/live/"],
        UserFactory(): ["/", "/cart/", "/orders/"],
        store.merchant.owner: ["/seller/", "/seller/products/", "/seller/live/"],
        OperatorFactory(): ["/ops/", "/ops/stores/", "/ops/refunds/", "/admin/"],
    }
    for user, paths in pages.items():
        client = Client()
        if user is not None:
            client.force_login(user)
        for path in paths:
            response = client.get(path, follow=True)
            assert response.status_code == 200, path
            assert_passes_the_policy(response)


def test_no_template_carries_inline_script_or_event_handlers():
    offenders = []
    for template in (BASE_DIR / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        if INLINE_SCRIPT.search(text) or EVENT_HANDLER.search(text):
            offenders.append(str(template.relative_to(BASE_DIR)))
    assert offenders == []


def test_production_settings_send_hsts_and_secure_cookies():
    env = production_environment(
        DEBUG="0", SECRET_KEY="x" * 60, ALLOWED_HOSTS="shop.example.com", DEVSTACK_AUTOSTART="0"
    )
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.X_FRAME_OPTIONS, s.SESSION_COOKIE_HTTPONLY)"
    )
    env["DJANGO_SETTINGS_MODULE"] = "marketplace.settings"
    result = subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    hsts, session_secure, csrf_secure, ssl_redirect, frames, httponly = result.stdout.split()
    assert int(hsts) >= 31536000
    assert (session_secure, csrf_secure, ssl_redirect, frames, httponly) == ("True", "True", "True", "DENY", "True")


def test_static_script_files_exist_for_what_templates_ask():
    assert (Path(BASE_DIR) / "static" / "js" / "site.js").exists()
