"""Styled error pages and the favicon instead of Django's bare defaults."""

import pytest

pytestmark = pytest.mark.django_db


def test_unknown_page_is_a_styled_404_with_search(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'data-testid="error-404"' in html and 'name="q"' in html and 'data-testid="tabbar"' in html


def test_even_with_debug_on_a_missing_page_is_the_styled_404(client, settings):
    settings.DEBUG = True
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and 'data-testid="error-404"' in response.content.decode()
    api = client.get("/api/v1/orders/0000/")
    assert api.status_code in (403, 404) and "error-404" not in api.content.decode()


def test_forbidden_is_a_styled_403(client):
    from tests.accounts.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get("/ops/")
    assert response.status_code == 403 and 'data-testid="error-403"' in response.content.decode()


def test_500_template_renders_without_a_request():
    from django.template.loader import render_to_string

    assert 'data-testid="error-500"' in render_to_string("500.html")


def test_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")


def test_a_form_posted_with_a_stale_csrf_token_gets_a_styled_page_back_to_where_it_was():
    from django.test import Client

    from tests.accounts.factories import UserFactory

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory())
    response = browser.post("/cart/items/", {"sku": 1, "quantity": 1}, HTTP_REFERER="http://testserver/p/7/")
    html = response.content.decode()
    assert response.status_code == 403 and 'data-testid="error-403-csrf"' in html
    assert 'href="http://testserver/p/7/" data-testid="error-back"' in html and 'data-testid="tabbar"' in html
    elsewhere = browser.post("/cart/items/", {"sku": 1}, HTTP_REFERER="https://evil.example/")
    assert 'href="/" data-testid="error-back"' in elsewhere.content.decode()


def test_csrf_failure_under_the_api_answers_json(rf):
    import json

    from marketplace.errors import csrf_failure

    response = csrf_failure(rf.post("/api/v1/anything/"), reason="CSRF cookie not set.")
    assert response.status_code == 403 and json.loads(response.content)["code"] == "csrf_failed"


def test_a_bad_request_is_a_styled_400(client):
    response = client.get("/", HTTP_HOST="not-allowed.example")
    assert response.status_code == 400 and 'data-testid="error-400"' in response.content.decode()
