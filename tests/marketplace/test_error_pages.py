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
