import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.accounts.factories import PASSWORD, UserFactory

BASE_DIR = Path(__file__).resolve().parents[2]


def production_environment(**overrides) -> dict[str, str]:
    """The test process's environment minus what only tests set (the browser tests allow async-unsafe ORM use)."""
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {**env, **overrides}


def test_production_settings_pass_check_deploy_with_no_warnings():
    env = production_environment(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="shop.example.com",
        DEVSTACK_AUTOSTART="0",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = production_environment(DEBUG="0", SECRET_KEY="", DEVSTACK_AUTOSTART="0")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_openapi_schema_and_interactive_docs_are_served(client):
    schema = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert schema.json()["openapi"].startswith("3.")
    docs = client.get(reverse("api-docs"))
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()
    assert b"cdn.jsdelivr" not in docs.content  # works offline: assets come from the project


@pytest.mark.django_db
def test_token_auth_and_session_auth_both_reach_the_api(api_client, client):
    user = UserFactory(username="tokenuser")
    bad = api_client.post("/api/v1/auth/token/", {"username": "tokenuser", "password": "wrong"}, format="json")
    assert bad.status_code == 400
    token = api_client.post("/api/v1/auth/token/", {"username": "tokenuser", "password": PASSWORD}, format="json")
    assert token.status_code == 200
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    assert api_client.get("/api/v1/me/").json()["username"] == "tokenuser"

    client.force_login(user)
    assert client.get("/api/v1/me/").json()["id"] == user.id


@pytest.mark.django_db
def test_me_requires_authentication(api_client):
    assert api_client.get("/api/v1/me/").status_code in (401, 403)


@pytest.mark.django_db
def test_every_page_has_a_language_switcher_and_chinese_is_served(client):
    page = client.get("/")
    assert page.status_code == 200
    assert b'name="language"' in page.content
    switched = client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert switched.status_code == 302
    page = client.get("/")
    assert "登录".encode() in page.content  # "Log in" from the Simplified Chinese catalog
    assert b'lang="zh-hans"' in page.content


@pytest.mark.django_db
def test_signup_and_login_pages(client):
    response = client.post(
        reverse("accounts:signup"),
        {"username": "newshopper", "password1": "a-long-pass-2026", "password2": "a-long-pass-2026"},
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200
    mismatch = client.post(
        reverse("accounts:signup"), {"username": "other", "password1": "a-long-pass-2026", "password2": "nope"}
    )
    assert mismatch.status_code == 200
    assert b"errorlist" in mismatch.content
