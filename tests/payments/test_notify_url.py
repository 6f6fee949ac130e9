"""Payments tell the gateway to call back the server that is actually running, whatever its PORT."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def notify_url_with(env: dict[str, str]) -> str:
    code = "import django; django.setup(); from payments.services import notify_url; print(notify_url())"
    environment = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PORT", "HOST")}
    result = subprocess.run(
        [sys.executable, "-c", code], env={**environment, "DEVSTACK_AUTOSTART": "0", **env},
        cwd=BASE_DIR, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    return result.stdout.strip()


def test_callback_follows_the_port_the_server_runs_on():
    assert notify_url_with({"PORT": "9123"}) == "http://127.0.0.1:9123/api/v1/payments/callback/sandbox/"
    assert (
        notify_url_with({"PORT": "9123", "HOST": "0.0.0.0"})
        == "http://127.0.0.1:9123/api/v1/payments/callback/sandbox/"
    )


def test_an_explicit_site_url_wins():
    assert notify_url_with({"PORT": "9123", "SITE_URL": "https://shop.example.com/"}) == (
        "https://shop.example.com/api/v1/payments/callback/sandbox/"
    )
