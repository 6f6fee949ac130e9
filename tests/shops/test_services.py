import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from marketplace.api import DomainError
from shops import services
from shops.models import SKU, Brand, BrandAuthorization, Merchant, Product, StaffRole, StockLevel, StockPool, Store
from tests.accounts.factories import OperatorFactory, UserFactory
from tests.shops.factories import (
    CategoryFactory,
    MerchantFactory,
    OutletFactory,
    SKUFactory,
    StoreFactory,
    make_product,
)

pytestmark = pytest.mark.django_db


def test_taobao_store_opens_at_once_and_tmall_waits_for_brand_approval():
    merchant = MerchantFactory()
    taobao = services.create_store(merchant=merchant, name="小店", brand=Brand.TAOBAO)
    tmall = services.create_store(merchant=merchant, name="旗舰店", brand=Brand.TMALL)
    assert taobao.status == Store.Status.OPEN
    assert tmall.status == Store.Status.PENDING
    assert tmall.staff.get().role == StaffRole.OWNER
    with pytest.raises(DomainError, match="only after an operator approves"):
        services.open_store(tmall)
    assert Store.objects.get(pk=tmall.pk).status == Store.Status.PENDING


def test_only_a_company_may_open_a_tmall_store():
    merchant = MerchantFactory(kind=Merchant.Kind.INDIVIDUAL)
    with pytest.raises(DomainError, match="company"):
        services.create_store(merchant=merchant, name="个人天猫", brand=Brand.TMALL)
    assert not Store.objects.filter(name="个人天猫").exists()


def test_approving_the_brand_authorization_opens_the_tmall_store():
    tmall = services.create_store(merchant=MerchantFactory(), name="旗舰店", brand=Brand.TMALL)
    with pytest.raises(DomainError, match="document"):
        services.submit_brand_authorization(store=tmall, brand_name="ACME")
    authorization = services.submit_brand_authorization(store=tmall, brand_name="ACME", document_note="TM 123")
    operator = OperatorFactory()
    services.decide_brand_authorization(authorization, operator=operator, approve=True, reason="ok")
    tmall.refresh_from_db()
    authorization.refresh_from_db()
    assert tmall.status == Store.Status.OPEN
    assert authorization.decided_by == operator and authorization.decided_at is not None
    with pytest.raises(DomainError, match="already decided"):
        services.decide_brand_authorization(authorization, operator=operator, approve=False, reason="no")


def test_rejection_needs_a_reason_and_keeps_the_store_closed():
    tmall = services.create_store(merchant=MerchantFactory(), name="旗舰店", brand=Brand.TMALL)
    authorization = services.submit_brand_authorization(store=tmall, brand_name="ACME", document_note="TM 1")
    with pytest.raises(DomainError, match="reason"):
        services.decide_brand_authorization(authorization, operator=OperatorFactory(), approve=False, reason=" ")
    services.decide_brand_authorization(authorization, operator=OperatorFactory(), approve=False, reason="过期")
    authorization.refresh_from_db()
    tmall.refresh_from_db()
    assert authorization.status == BrandAuthorization.Status.REJECTED
    assert authorization.decision_reason == "过期"
    assert tmall.status == Store.Status.PENDING


def test_taobao_store_needs_no_brand_authorization():
    with pytest.raises(DomainError, match="Only Tmall"):
        services.submit_brand_authorization(store=StoreFactory(), brand_name="x", document_note="y")


def test_min_price_follows_the_cheapest_active_sku():
    product = make_product(prices=("199.00", "99.50", "150.00"))
    assert product.min_price == Decimal("99.50")
    cheapest = product.skus.get(price=Decimal("99.50"))
    services.save_sku(product=product, sku=cheapest, code=cheapest.code, price="99.50", is_active=False)
    product.refresh_from_db()
    assert product.min_price == Decimal("150.00")
    services.save_sku(product=product, code="NEW-1", price="10")
    product.refresh_from_db()
    assert product.min_price == Decimal("10.00")


def test_negative_price_and_duplicate_sku_code_are_refused_and_nothing_is_saved():
    store = StoreFactory()
    category = CategoryFactory()
    with pytest.raises(DomainError, match="negative"):
        services.create_product(store=store, category=category, title="坏价格",
                                skus=[{"code": "A", "price": "10"}, {"code": "B", "price": "-1"}])  # fmt: skip
    assert not Product.objects.filter(title="坏价格").exists()
    assert not SKU.objects.filter(store=store).exists()
    make_product(store, title="好的")
    existing = SKU.objects.get(store=store).code
    with pytest.raises(DomainError, match="already used"):
        services.create_product(store=store, category=category, title="重复",
                                skus=[{"code": existing, "price": "10"}])  # fmt: skip
    assert not Product.objects.filter(title="重复").exists()
    with pytest.raises(DomainError, match="same code"):
        services.create_product(store=store, category=category, title="重复2",
                                skus=[{"code": "X", "price": "1"}, {"code": "X", "price": "2"}])  # fmt: skip


def test_the_same_sku_code_is_fine_in_another_store():
    first = make_product(StoreFactory())
    code = first.skus.get().code
    other = make_product(StoreFactory())
    services.save_sku(product=other, code=code, price="5")
    assert SKU.objects.filter(code=code).count() == 2


def test_stock_is_set_per_location_and_pool_with_the_rules_of_each_location():
    sku = SKUFactory(stock=5)
    outlet = OutletFactory(store=sku.store)
    services.set_stock(sku=sku, outlet=outlet, pool=StockPool.SHARED, quantity=3)
    services.set_stock(sku=sku, outlet=outlet, pool=StockPool.OUTLET, quantity=2)
    assert StockLevel.objects.filter(sku=sku).for_delivery().total() == 8
    assert StockLevel.objects.filter(sku=sku).for_pickup(outlet.pk).total() == 5
    with pytest.raises(DomainError, match="negative"):
        services.set_stock(sku=sku, outlet=None, pool=StockPool.ONLINE, quantity=-1)
    with pytest.raises(DomainError, match="warehouse"):
        services.set_stock(sku=sku, outlet=None, pool=StockPool.SHARED, quantity=1)
    with pytest.raises(DomainError, match="outlet"):
        services.set_stock(sku=sku, outlet=outlet, pool=StockPool.ONLINE, quantity=1)
    with pytest.raises(DomainError, match="not found"):
        services.set_stock(sku=sku, outlet=OutletFactory(), pool=StockPool.SHARED, quantity=1)


def test_adjusting_stock_never_goes_below_zero():
    sku = SKUFactory(stock=3)
    services.adjust_stock(sku=sku, outlet=None, pool=StockPool.ONLINE, delta=-2)
    with pytest.raises(DomainError, match="below zero"):
        services.adjust_stock(sku=sku, outlet=None, pool=StockPool.ONLINE, delta=-2)
    assert StockLevel.objects.get(sku=sku).quantity == 1


def test_a_closure_cannot_end_before_it_starts():
    store = StoreFactory()
    today = timezone.localdate()
    with pytest.raises(DomainError, match="end before it starts"):
        services.schedule_closure(store=store, starts_on=today, ends_on=today - datetime.timedelta(days=1))
    assert not store.closures.exists()
    closure = services.close_now(store=store, until=today + datetime.timedelta(days=2))
    assert store.active_closure() == closure
    services.end_closure(closure)
    assert store.active_closure() is None


def test_outlet_coordinates_are_checked():
    store = StoreFactory()
    with pytest.raises(DomainError, match="Latitude"):
        services.save_outlet(store=store, name="门店", address="路 1 号", latitude="91", longitude="120")
    outlet = services.save_outlet(store=store, name="门店", address="路 1 号", latitude="30.1", longitude="120.2")
    assert outlet.latitude == Decimal("30.100000")


def test_a_store_keeps_at_least_one_owner():
    store = StoreFactory()
    owner = store.staff.get()
    with pytest.raises(DomainError, match="owner"):
        services.remove_staff(owner)
    helper = UserFactory()
    member = services.add_staff(store=store, username=helper.username, role=StaffRole.CUSTOMER_SERVICE)
    services.change_staff_role(member, StaffRole.OWNER)
    services.remove_staff(owner)
    assert list(store.staff.values_list("user__username", flat=True)) == [helper.username]
    with pytest.raises(DomainError, match="No user"):
        services.add_staff(store=store, username="nobody-here", role=StaffRole.OWNER)
