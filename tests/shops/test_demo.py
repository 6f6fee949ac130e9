import io

import pytest

from shops import demo
from shops.models import SKU, Brand, Category, Merchant, Outlet, Product, StockLevel, Store
from shops.selectors import CatalogFilters, catalog, purchasable_problem

pytestmark = pytest.mark.django_db


def test_demo_catalog_is_complete_searchable_and_idempotent(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    logins = demo.seed(io.StringIO())
    assert {"merchant", "merchant2", "cs"} <= {username for username, _password, _role in logins}
    counts = (Store.objects.count(), Product.objects.count(), SKU.objects.count(), StockLevel.objects.count())
    demo.seed(io.StringIO())
    assert (Store.objects.count(), Product.objects.count(), SKU.objects.count(),
            StockLevel.objects.count()) == counts  # fmt: skip

    assert Product.objects.count() >= 200
    assert Store.objects.filter(status=Store.Status.OPEN).count() >= 6
    owner = Merchant.objects.get(owner__username="merchant")
    assert set(owner.stores.values_list("brand", flat=True)) == {Brand.TAOBAO, Brand.TMALL}
    assert Category.objects.filter(parent=None).count() == 5
    assert Outlet.objects.exists() and StockLevel.objects.filter(outlet__isnull=False, quantity__gt=0).exists()
    assert all(product.image and (tmp_path / product.image.name).exists() for product in Product.objects.all()[:5])
    # A gallery per product: the main picture, a detail view, and for every other product a care card.
    sizes = [len(product.pictures) for product in Product.objects.all()]
    assert min(sizes) >= 2 and max(sizes) == 3
    assert all((tmp_path / name).exists() for product in Product.objects.all()[:5] for name in product.gallery)
    closed = Store.objects.get(slug=demo.CLOSED_STORE)
    assert closed.active_closure() is not None
    assert "closed until" in purchasable_problem(SKU.objects.filter(store=closed).first())
    assert catalog(CatalogFilters(q="连衣裙")).exists() and catalog(CatalogFilters(q="dress")).exists()
    assert Store.objects.filter(status=Store.Status.PENDING, brand=Brand.TMALL).exists()  # for the review queue
