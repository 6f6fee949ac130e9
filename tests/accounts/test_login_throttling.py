"""Sign-in throttling: every way to sign in locks an account, and an address, after a few wrong passwords."""

import pytest
from django.test import Client

from tests.accounts.factories import PASSWORD, OperatorFactory, UserFactory

LIMIT = 3


@pytest.fixture(autouse=True)
def small_limit(settings):
    settings.AXES_FAILURE_LIMIT = LIMIT


def token(client, username, password, ip="10.0.0.1"):
    return client.post(
        "/api/v1/auth/token/", {"username": username, "password": password}, content_type="application/json",
        REMOTE_ADDR=ip,
    )  # fmt: skip


@pytest.mark.django_db
def test_token_endpoint_answers_429_json_after_the_limit_and_refuses_even_the_right_password():
    user = UserFactory()
    client = Client()
    answers = [token(client, user.username, "wrong").status_code for _ in range(LIMIT)]
    assert answers[:-1] == [400] * (LIMIT - 1)
    assert answers[-1] == 429
    locked = token(client, user.username, PASSWORD)
    assert locked.status_code == 429
    assert locked["Content-Type"].startswith("application/json")
    assert locked.json()["code"] == "locked_out"
    assert "Try again in 15 minutes" in locked.json()["detail"]
    assert int(locked["Retry-After"]) == 15 * 60


@pytest.mark.django_db
def test_the_lock_is_per_account_across_addresses():
    user = UserFactory()
    client = Client()
    for n in range(LIMIT):
        token(client, user.username, "wrong", ip=f"10.0.1.{n}")
    assert token(client, user.username, PASSWORD, ip="10.0.9.9").status_code == 429
    # Another account from a fresh address is unaffected.
    other = UserFactory()
    assert token(client, other.username, PASSWORD, ip="10.0.9.8").status_code == 200


@pytest.mark.django_db
def test_the_lock_is_per_address_across_accounts():
    client = Client()
    for n in range(LIMIT):
        token(client, f"nobody{n}", "wrong", ip="10.0.2.1")
    victim = UserFactory()
    assert token(client, victim.username, PASSWORD, ip="10.0.2.1").status_code == 429
    assert token(client, victim.username, PASSWORD, ip="10.0.2.2").status_code == 200


@pytest.mark.django_db
def test_a_success_before_the_limit_resets_the_count():
    user = UserFactory()
    client = Client()
    for _ in range(LIMIT - 1):
        token(client, user.username, "wrong")
    assert token(client, user.username, PASSWORD).status_code == 200
    for _ in range(LIMIT - 1):
        assert token(client, user.username, "wrong").status_code == 400


@pytest.mark.django_db
def test_login_page_shows_the_lockout_with_429():
    user = UserFactory()
    client = Client()
    for _ in range(LIMIT):
        client.post("/accounts/login/", {"username": user.username, "password": "wrong"}, REMOTE_ADDR="10.0.3.1")
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": PASSWORD}, REMOTE_ADDR="10.0.3.1"
    )
    assert response.status_code == 429
    assert b"Too many failed sign-in attempts" in response.content
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_admin_login_is_throttled_too():
    operator = OperatorFactory()
    client = Client()
    for _ in range(LIMIT):
        client.post("/admin/login/", {"username": operator.username, "password": "wrong"}, REMOTE_ADDR="10.0.4.1")
    response = client.post(
        "/admin/login/?next=/admin/", {"username": operator.username, "password": PASSWORD}, REMOTE_ADDR="10.0.4.1"
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
