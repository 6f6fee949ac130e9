import pytest


@pytest.fixture(autouse=True)
def promotions_urls(settings):
    settings.ROOT_URLCONF = "tests.promotions.urls"
    from django.urls import clear_url_caches

    from marketplace import navigation

    clear_url_caches()
    navigation.all_items.cache_clear()
    yield
    clear_url_caches()
