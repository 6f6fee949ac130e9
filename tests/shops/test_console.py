import pytest

from shops import services
from shops.models import Brand, BrandAuthorization, Store
from tests.accounts.factories import OperatorFactory
from tests.shops.factories import MerchantFactory, StoreFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending():
    store = services.create_store(merchant=MerchantFactory(name="品牌公司"), name="品牌旗舰店", brand=Brand.TMALL)
    return services.submit_brand_authorization(store=store, brand_name="品牌", document_note="TM 9")


def test_operator_approves_from_the_queue_and_the_store_opens(client, pending):
    client.force_login(OperatorFactory())
    queue = client.get("/ops/brand-authorizations/")
    assert "品牌旗舰店" in queue.content.decode()
    client.post(f"/ops/brand-authorizations/{pending.pk}/decide/", {"decision": "approve", "reason": "齐全"})
    pending.refresh_from_db()
    assert pending.status == BrandAuthorization.Status.APPROVED
    assert Store.objects.get(pk=pending.store_id).status == Store.Status.OPEN
    assert "品牌旗舰店" not in client.get("/ops/brand-authorizations/").content.decode()


def test_rejecting_without_a_reason_is_refused(client, pending):
    client.force_login(OperatorFactory())
    response = client.post(f"/ops/brand-authorizations/{pending.pk}/decide/", {"decision": "reject"}, follow=True)
    assert "Give the merchant a reason" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == BrandAuthorization.Status.PENDING
    client.post(f"/ops/brand-authorizations/{pending.pk}/decide/", {"decision": "reject", "reason": "证书过期"})
    pending.refresh_from_db()
    assert pending.status == BrandAuthorization.Status.REJECTED and pending.decision_reason == "证书过期"


def test_merchants_and_stores_lists_search(client, pending):
    StoreFactory(name="别的小店")
    client.force_login(OperatorFactory())
    merchants = client.get("/ops/merchants/", {"q": "品牌"})
    assert [m.name for m in merchants.context["page"]] == ["品牌公司"]
    stores = client.get("/ops/stores/", {"q": "旗舰"})
    assert [s.name for s in stores.context["page"]] == ["品牌旗舰店"]
    assert client.get("/ops/stores/", {"brand": "TAOBAO"}).context["page"].paginator.count == 1


def test_console_pages_need_an_operator(client, pending):
    client.force_login(pending.store.merchant.owner)
    for url in ("/ops/brand-authorizations/", "/ops/merchants/", "/ops/stores/"):
        assert client.get(url).status_code == 403
    assert client.post(f"/ops/brand-authorizations/{pending.pk}/decide/", {"decision": "approve"}).status_code == 403
    pending.refresh_from_db()
    assert pending.status == BrandAuthorization.Status.PENDING


def test_operator_suspends_and_reinstates_a_store(client):
    from tests.shops.factories import make_product

    store = StoreFactory()
    product = make_product(store, title="被暂停的商品")
    client.force_login(OperatorFactory())
    client.post(f"/ops/stores/{store.pk}/status/", {"action": "suspend"})
    store.refresh_from_db()
    assert store.status == Store.Status.SUSPENDED
    assert client.get(f"/p/{product.pk}/").status_code == 404
    client.post(f"/ops/stores/{store.pk}/status/", {"action": "reinstate"})
    store.refresh_from_db()
    assert store.status == Store.Status.OPEN
    assert client.get(f"/p/{product.pk}/").status_code == 200
