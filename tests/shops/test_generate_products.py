"""The benchmarks' catalog generator writes products every page and query of the app can read."""

import pytest
from django.core.management import call_command

from shops import demo
from shops.models import SKU, Product
from shops.selectors import CatalogFilters, catalog
from tests.shops.factories import StoreFactory

pytestmark = pytest.mark.django_db


def test_generated_products_are_complete_rows_the_catalog_lists_and_searches(client):
    demo.seed_categories()
    StoreFactory()
    call_command("generate_products", "30", "--seed", "3")

    generated = Product.objects.exclude(search_title="")
    assert generated.count() == 30
    assert SKU.objects.filter(product__in=generated).count() == 60
    product = generated.first()
    assert product.gallery == [] and product.pictures == []
    assert client.get(f"/p/{product.pk}/").status_code == 200
    assert product in catalog(CatalogFilters(q=product.title))
