"""A server process's warm-up (marketplace.warmup): what the first requests would load is loaded, the process
serves itself a first search, product page and API calls (rendered even when Redis holds them, recording no visit),
and the heap it leaves is frozen out of the collector's generations (full collections were the live room's latency
tail)."""

import gc

import pytest
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from insight import events
from marketplace import warmup
from shops import caching
from tests.shops.factories import make_product


def test_warm_up_loads_the_lazy_parts_and_freezes_what_it_loaded():
    gc.unfreeze()
    try:
        seconds = warmup.warm()
        assert seconds > 0
        assert gc.get_freeze_count() > 10_000  # Django, the apps, the URL tables, the tokenizer's dictionary
    finally:
        gc.unfreeze()  # the test process goes on creating and dropping objects as before


@pytest.fixture
def server_handler():
    """The WSGI handler a server runs, minus closing the connection at each request's end (the test's transaction
    lives on it; Django's test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_a_server_serves_itself_its_first_searches_pages_and_api_calls_without_recording_a_visit(server_handler):
    caching.reset()
    product = make_product(title="暖身连衣裙", title_en="Warm dress")
    page = caching.page_key("zh-hans", f"/p/{product.pk}/")
    cache.set(page, "cached by another process", 60)  # a page in Redis is rendered again all the same
    queued = events.pending()

    statuses = warmup.first_requests(server_handler)

    paths = {template.format(product=product.pk) for template in warmup.FIRST_REQUESTS}
    assert statuses == dict.fromkeys(paths, 200)
    assert "暖身连衣裙" in cache.get(page)
    assert events.pending() == queued  # the warm-up browses with tracking opted out


@pytest.mark.django_db
def test_with_no_product_to_show_the_warm_up_serves_nothing(server_handler):
    caching.reset()
    assert warmup.first_requests(server_handler) == {}
