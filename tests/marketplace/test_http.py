"""local_url: redirects built from a form's "next" or a Referer never leave the site."""

from django.test import RequestFactory

from marketplace.http import local_url


def test_the_first_url_of_this_site_wins_and_anything_else_falls_back(settings):
    settings.ALLOWED_HOSTS = ["shop.example"]
    request = RequestFactory().post("/x/", HTTP_HOST="shop.example")
    assert local_url(request, "https://evil.example/", "/cart/") == "/cart/"
    assert local_url(request, "http://shop.example/p/1/") == "http://shop.example/p/1/"
    assert local_url(request, "", "//evil.example/x", fallback="/home/") == "/home/"
    assert local_url(request) == "/"
    secure = RequestFactory().post("/x/", HTTP_HOST="shop.example", secure=True)
    assert local_url(secure, "http://shop.example/p/1/", fallback="/") == "/"  # no step down to plain HTTP
