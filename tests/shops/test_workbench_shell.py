import pytest

from shops.models import StaffRole, StoreStaff
from tests.accounts.factories import OperatorFactory, UserFactory
from tests.shops.factories import MerchantFactory, StoreFactory, TmallStoreFactory

pytestmark = pytest.mark.django_db


def test_a_merchant_switches_between_its_taobao_and_tmall_store(client):
    merchant = MerchantFactory()
    taobao = StoreFactory(merchant=merchant, name="淘宝小店")
    tmall = TmallStoreFactory(merchant=merchant, name="天猫旗舰店")
    client.force_login(merchant.owner)

    page = client.get("/seller/")
    assert page.status_code == 200
    assert page.context["current_store"] == taobao

    client.post("/seller/switch/", {"store": tmall.pk})
    assert client.get("/seller/").context["current_store"] == tmall


def test_switching_to_another_merchants_store_is_refused(client):
    mine = StoreFactory()
    other = StoreFactory()
    client.force_login(mine.merchant.owner)
    client.post("/seller/switch/", {"store": other.pk})
    assert client.get("/seller/").context["current_store"] == mine


def test_workbench_needs_staff_and_console_needs_an_operator(client):
    client.force_login(UserFactory())
    assert client.get("/seller/").status_code == 403
    assert client.get("/ops/").status_code == 403
    client.force_login(OperatorFactory())
    assert client.get("/ops/").status_code == 200


def test_customer_service_role_is_recorded_per_store(client):
    store = StoreFactory()
    agent = UserFactory()
    StoreStaff.objects.create(store=store, user=agent, role=StaffRole.CUSTOMER_SERVICE)
    client.force_login(agent)
    page = client.get("/seller/")
    assert page.status_code == 200
    assert page.context["current_store"].role == StaffRole.CUSTOMER_SERVICE


def test_the_workbench_names_the_role_in_the_readers_language(client):
    store = StoreFactory()
    client.force_login(store.merchant.owner)
    client.cookies["django_language"] = "zh-hans"
    page = client.get("/seller/").content.decode()
    assert '<span class="muted small">店主</span>' in page and ">owner<" not in page
