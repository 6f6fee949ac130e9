"""Saving a product answers without running the tokenizer: the search tokens are written by a worker after the
commit (shops.tasks.index_product), idempotently."""

import time

import pytest

from shops import selectors, services, tasks
from shops.models import Product
from tests.shops.factories import CategoryFactory, StoreFactory


def three_skus(tag: str) -> list[dict]:
    return [{"code": f"{tag}-{size}", "price": "99.00", "attributes": {"尺码": size}, "stock": 5} for size in "SML"]


def found(query: str) -> list[int]:
    return [product.pk for product in selectors.catalog_page(selectors.CatalogFilters(q=query)).object_list]


@pytest.fixture
def queued(monkeypatch) -> list[int]:
    """The product ids handed to the index task (instead of a worker)."""
    ids: list[int] = []
    monkeypatch.setattr(tasks.index_product, "delay", ids.append)
    return ids


@pytest.mark.django_db
def test_a_saved_product_is_indexed_after_the_commit_and_indexing_twice_changes_nothing(
    django_capture_on_commit_callbacks, queued
):
    with django_capture_on_commit_callbacks(execute=True):
        product = services.create_product(
            store=StoreFactory(), category=CategoryFactory(name="连衣裙", name_en="Dresses"), skus=three_skus("D"),
            title="夏季碎花连衣裙", description="雪纺",
        )  # fmt: skip
    product.refresh_from_db()
    assert product.search_title == ""  # the request did not run jieba
    assert queued == [product.pk]  # once, after the commit
    assert product.pk not in found("连衣裙")
    assert services.index_product(product.pk) is True
    assert product.pk in found("连衣裙") and product.pk in found("碎花")
    tokens = Product.objects.values_list("search_title", "search_body").get(pk=product.pk)
    assert services.index_product(product.pk) is True  # a second run (a redelivered task) writes the same tokens
    assert Product.objects.values_list("search_title", "search_body").get(pk=product.pk) == tokens
    assert services.index_product(10**9) is False  # a product deleted meanwhile: nothing to do


@pytest.mark.django_db
def test_a_run_that_read_text_an_edit_replaced_writes_nothing(monkeypatch):
    product = services.create_product(
        store=StoreFactory(), category=CategoryFactory(), skus=three_skus("E"), title="旧标题", index_now=True
    )
    real_refresh = services.catalog.refresh_search_tokens

    def edit_meanwhile(read):  # the merchant saves a new title while the worker tokenizes the old one
        real_refresh(read)
        Product.objects.filter(pk=read.pk).update(title="新标题")

    monkeypatch.setattr(services.catalog, "refresh_search_tokens", edit_meanwhile)
    assert services.index_product(product.pk) is False
    assert "旧" in Product.objects.get(pk=product.pk).search_title  # untouched: the edit's own run indexes it


@pytest.mark.django_db
def test_only_changes_to_the_searched_text_queue_a_run(django_capture_on_commit_callbacks, queued):
    product = services.create_product(
        store=StoreFactory(), category=CategoryFactory(), skus=three_skus("F"), title="标题", index_now=True
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.save_product(store=product.store, product=product, category=product.category, featured=True)
    assert queued == []
    with django_capture_on_commit_callbacks(execute=True):
        services.save_product(store=product.store, product=product, category=product.category, title="新")
    assert queued == [product.pk]


@pytest.mark.django_db(transaction=True)
def test_the_worker_indexes_a_product_saved_in_the_workbench_api(celery_worker, api_client):
    from tests.shops.factories import MerchantFactory

    merchant = MerchantFactory()
    store = services.create_store(merchant=merchant, name="索引店", brand="TAOBAO")
    category = CategoryFactory(name="保温杯", name_en="Vacuum flasks")
    api_client.force_authenticate(merchant.owner)
    response = api_client.post(
        f"/api/v1/seller/stores/{store.pk}/products/",
        {"title": "不锈钢保温杯", "category": category.slug, "skus": three_skus("W")},
        format="json",
    )
    assert response.status_code == 201, response.content
    product_id = response.json()["id"]
    deadline = time.monotonic() + 30
    while product_id not in found("保温杯") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert product_id in found("保温杯")
    assert tasks.index_product.name == "shops.tasks.index_product"
