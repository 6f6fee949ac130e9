"""The promotions API: coupon center, my coupons, quote, operator CRUD, merchant scoping."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from promotions.models import Campaign, CampaignEnrollment, CouponTemplate, IssuedCoupon, StorePromotion
from tests.accounts.factories import OperatorFactory, UserFactory
from tests.promotions.factories import (
    CampaignFactory,
    CouponTemplateFactory,
    EnrollmentFactory,
    IssuedCouponFactory,
    StoreCouponTemplateFactory,
    StorePromotionFactory,
)
from tests.shops.factories import ProductFactory, SKUFactory, StoreFactory, TmallStoreFactory

pytestmark = pytest.mark.django_db
D = Decimal
API = "/api/v1/promotions"


def iso(delta_days=0):
    return (timezone.now() + datetime.timedelta(days=delta_days)).isoformat()


@pytest.fixture
def shopper_client(api_client):
    shopper = UserFactory()
    api_client.force_authenticate(shopper)
    api_client.user = shopper
    return api_client


@pytest.fixture
def operator_client(api_client):
    api_client.force_authenticate(OperatorFactory())
    return api_client


class TestCouponCenter:
    def test_list_anonymous_and_claim_needs_login(self, api_client):
        template = CouponTemplateFactory()
        CouponTemplateFactory(channel="live", live_stream_id=5)  # live-only: not in the center
        CouponTemplateFactory(is_active=False)
        response = api_client.get(f"{API}/coupons/")
        assert response.status_code == 200
        assert [row["id"] for row in response.json()] == [template.pk]
        assert api_client.post(f"{API}/coupons/{template.pk}/claim/").status_code in (401, 403)

    def test_claim_then_limit_and_my_coupons(self, shopper_client):
        template = CouponTemplateFactory(per_shopper_limit=1)
        response = shopper_client.post(f"{API}/coupons/{template.pk}/claim/")
        assert response.status_code == 201, response.json()
        assert response.json()["status"] == "claimed"
        again = shopper_client.post(f"{API}/coupons/{template.pk}/claim/")
        assert again.status_code == 409 and again.json()["code"] == "limit_reached"
        listed = shopper_client.get(f"{API}/coupons/").json()[0]
        assert listed["held_by_me"] == 1 and listed["can_claim_more"] is False
        mine = shopper_client.get(f"{API}/my-coupons/").json()
        assert mine["count"] == 1 if isinstance(mine, dict) else len(mine) == 1
        assert shopper_client.get(f"{API}/my-coupons/?status=used").status_code == 200
        assert shopper_client.get(f"{API}/my-coupons/?status=bogus").status_code == 400

    def test_another_shoppers_coupon_is_not_found(self, shopper_client):
        other = IssuedCouponFactory()
        assert shopper_client.get(f"{API}/my-coupons/{other.pk}/").status_code == 404

    def test_live_coupon_claim_in_room(self, shopper_client):
        template = CouponTemplateFactory(channel="live", live_stream_id=5)
        assert shopper_client.post(f"{API}/coupons/{template.pk}/claim/").status_code == 400
        ok = shopper_client.post(f"{API}/coupons/{template.pk}/claim/", {"live_stream_id": 5}, format="json")
        assert ok.status_code == 201


class TestQuote:
    def test_prices_come_from_the_database(self, shopper_client):
        s1, s2 = TmallStoreFactory(), StoreFactory()
        campaign = CampaignFactory()
        EnrollmentFactory(campaign=campaign, store=s1)
        EnrollmentFactory(campaign=campaign, store=s2)
        a = SKUFactory(product=ProductFactory(store=s1), price=D("200.00"))
        b = SKUFactory(product=ProductFactory(store=s2), price=D("250.00"))
        body = {"items": [{"sku": a.pk, "quantity": 1, "unit_price": "0.01"}, {"sku": b.pk, "quantity": 1}]}
        response = shopper_client.post(f"{API}/quote/", body, format="json")
        assert response.status_code == 200, response.json()
        data = response.json()
        assert data["payable"] == "400.00" and [line["payable"] for line in data["lines"]] == ["177.78", "222.22"]
        assert data["lines"][0]["discounts"][0]["source_kind"] == "campaign"

    def test_bad_input(self, shopper_client):
        sku = SKUFactory()
        assert shopper_client.post(f"{API}/quote/", {"items": []}, format="json").status_code == 400
        bad_qty = {"items": [{"sku": sku.pk, "quantity": 0}]}
        assert shopper_client.post(f"{API}/quote/", bad_qty, format="json").status_code == 400
        unknown = shopper_client.post(f"{API}/quote/", {"items": [{"sku": 999999, "quantity": 1}]}, format="json")
        assert unknown.status_code == 400 and "Unknown SKU" in unknown.json()["detail"]
        other = IssuedCouponFactory()
        chosen = {"items": [{"sku": sku.pk, "quantity": 1}], "coupon_choice": [other.pk]}
        refused = shopper_client.post(f"{API}/quote/", chosen, format="json")
        assert refused.status_code == 400 and "not one of your coupons" in refused.json()["detail"]
        preview = {"items": [{"sku": sku.pk, "quantity": 1}], "campaign": CampaignFactory().pk}
        assert shopper_client.post(f"{API}/quote/", preview, format="json").status_code == 403

    def test_operator_preview_of_a_future_campaign(self, operator_client):
        store = StoreFactory()
        sku = SKUFactory(product=ProductFactory(store=store), price=D("300.00"))
        campaign = CampaignFactory(starts_at=timezone.now() + datetime.timedelta(days=3),
                                   ends_at=timezone.now() + datetime.timedelta(days=4))  # fmt: skip
        body = {"items": [{"sku": sku.pk, "quantity": 2}], "campaign": campaign.pk}
        data = operator_client.post(f"{API}/quote/", body, format="json").json()
        assert data["discount"] == "100.00"
        template = CouponTemplateFactory(threshold=D("100.00"), off=D("15.00"))
        body = {"items": [{"sku": sku.pk, "quantity": 1}], "coupon_template": template.pk}
        assert operator_client.post(f"{API}/quote/", body, format="json").json()["discount"] == "15.00"


class TestCampaignsApi:
    def payload(self, **overrides):
        return {"name": "双11 跨店满减", "starts_at": iso(0), "ends_at": iso(5), "every": "300.00", "off": "50.00",
                "brands": ["TMALL", "TAOBAO"], "platform_share": "0.50", "budget": "10000.00", **overrides}  # fmt: skip

    def test_operator_creates_and_edits(self, operator_client):
        response = operator_client.post(f"{API}/campaigns/", self.payload(), format="json")
        assert response.status_code == 201, response.json()
        pk = response.json()["id"]
        patched = operator_client.patch(f"{API}/campaigns/{pk}/", {"cap": "200.00"}, format="json")
        assert patched.status_code == 200 and patched.json()["cap"] == "200.00"
        assert Campaign.objects.get(pk=pk).cap == D("200.00")

    @pytest.mark.parametrize(
        "overrides,field",
        [
            ({"off": "400.00"}, "off"),
            ({"every": "0.00"}, "every"),
            ({"off": "-5.00"}, "off"),
            ({"ends_at": iso(-1)}, "ends_at"),
            ({"platform_share": "1.50"}, "platform_share"),
            ({"cap": "10.00"}, "cap"),
        ],
    )
    def test_bad_campaigns_are_refused_and_nothing_saved(self, operator_client, overrides, field):
        response = operator_client.post(f"{API}/campaigns/", self.payload(**overrides), format="json")
        assert response.status_code == 400 and field in response.json(), response.json()
        assert not Campaign.objects.exists()

    def test_budget_below_spent_is_refused(self, operator_client):
        campaign = CampaignFactory(budget=D("100.00"), spent=D("60.00"))
        response = operator_client.patch(f"{API}/campaigns/{campaign.pk}/", {"budget": "50.00"}, format="json")
        assert response.status_code == 400 and "budget" in response.json()

    def test_shoppers_and_merchants_cannot(self, shopper_client):
        assert shopper_client.get(f"{API}/campaigns/").status_code == 403
        assert shopper_client.post(f"{API}/campaigns/", self.payload(), format="json").status_code == 403


class TestPlatformCouponsApi:
    def test_create_platform_coupon_with_restrictions_and_red_packet(self, operator_client):
        store = StoreFactory()
        body = {"kind": "platform_coupon", "name": "品类券", "off": "30.00", "threshold": "299.00",
                "brands": ["TMALL"], "stores": [store.pk], "valid_days": 7, "total_quantity": 1000,
                "per_shopper_limit": 2}  # fmt: skip
        response = operator_client.post(f"{API}/platform-coupons/", body, format="json")
        assert response.status_code == 201, response.json()
        assert response.json()["stores"] == [store.pk] and response.json()["brands"] == ["TMALL"]
        red = {"kind": "red_packet", "name": "红包", "off": "5.00", "valid_to": iso(3), "total_quantity": 10}
        assert operator_client.post(f"{API}/platform-coupons/", red, format="json").status_code == 201

    @pytest.mark.parametrize(
        "overrides,field",
        [
            ({"off": "300.00", "threshold": "200.00"}, "off"),
            ({"kind": "red_packet", "threshold": "10.00"}, "threshold"),
            ({"kind": "store_coupon"}, "kind"),
            ({"valid_days": None}, "valid_to"),
            ({"valid_days": None, "valid_from": iso(2), "valid_to": iso(1)}, "valid_to"),
            ({"total_quantity": 0}, "total_quantity"),
            ({"off": "-1.00"}, "off"),
            ({"channel": "live"}, "live_stream_id"),
        ],
    )
    def test_bad_coupons_are_refused(self, operator_client, overrides, field):
        body = {"kind": "platform_coupon", "name": "券", "off": "20.00", "threshold": "200.00", "valid_days": 7,
                "total_quantity": 10, **overrides}  # fmt: skip
        response = operator_client.post(f"{API}/platform-coupons/", body, format="json")
        assert response.status_code == 400 and field in response.json(), response.json()
        assert not CouponTemplate.objects.exists()

    def test_face_value_locked_once_claimed(self, operator_client):
        coupon = IssuedCouponFactory()
        response = operator_client.patch(
            f"{API}/platform-coupons/{coupon.template_id}/", {"off": "1.00"}, format="json"
        )
        assert response.status_code == 400 and "off" in response.json()
        more = operator_client.patch(
            f"{API}/platform-coupons/{coupon.template_id}/", {"total_quantity": 500}, format="json"
        )
        assert more.status_code == 200 and more.json()["total_quantity"] == 500


class TestMerchantApi:
    def test_store_promotion_crud_scoped_to_own_store(self, api_client):
        store, other = StoreFactory(), StoreFactory()
        api_client.force_authenticate(store.merchant.owner)
        sku = SKUFactory(product=ProductFactory(store=store), price=D("100.00"))
        foreign_sku = SKUFactory(product=ProductFactory(store=other))
        url = f"{API}/stores/{store.pk}/promotions/"
        body = {
            "kind": "item_discount",
            "name": "直降",
            "discount_type": "amount_off",
            "value": "10.00",
            "skus": [sku.pk],
        }
        created = api_client.post(url, body, format="json")
        assert created.status_code == 201, created.json()
        bad = api_client.post(url, {**body, "skus": [foreign_sku.pk]}, format="json")
        assert bad.status_code == 400 and "skus" in bad.json()
        tiers = {"kind": "store_threshold", "name": "满减", "tiers": [{"threshold": "200.00", "off": "20.00"},
                                                                    {"threshold": "100.00", "off": "30.00"}]}  # fmt: skip
        assert api_client.post(url, tiers, format="json").status_code == 400
        zero_step = {"kind": "store_threshold", "name": "满减", "every": "0.00", "off": "5.00"}
        assert api_client.post(url, zero_step, format="json").status_code == 400
        assert StorePromotion.objects.count() == 1
        # another merchant's store: 404, whatever the method
        other_promo = StorePromotionFactory(store=other)
        assert api_client.get(f"{API}/stores/{other.pk}/promotions/").status_code == 404
        assert (
            api_client.patch(f"{API}/stores/{other.pk}/promotions/{other_promo.pk}/", {"name": "x"}).status_code == 404
        )
        assert api_client.get(f"{API}/stores/{store.pk}/promotions/{other_promo.pk}/").status_code == 404

    def test_store_coupons(self, api_client):
        store, other = StoreFactory(), StoreFactory()
        api_client.force_authenticate(store.merchant.owner)
        body = {"name": "店铺券", "off": "10.00", "threshold": "99.00", "valid_days": 30, "total_quantity": 100}
        created = api_client.post(f"{API}/stores/{store.pk}/coupons/", body, format="json")
        assert created.status_code == 201, created.json()
        assert created.json()["kind"] == "store_coupon" and created.json()["store"]["id"] == store.pk
        assert api_client.post(f"{API}/stores/{other.pk}/coupons/", body, format="json").status_code == 404
        foreign = StoreCouponTemplateFactory(store=other)
        assert api_client.get(f"{API}/stores/{store.pk}/coupons/{foreign.pk}/").status_code == 404

    def test_enroll_and_withdraw(self, api_client):
        store = TmallStoreFactory()
        api_client.force_authenticate(store.merchant.owner)
        upcoming = CampaignFactory(starts_at=timezone.now() + datetime.timedelta(days=1))
        taobao_only = CampaignFactory(brands=["TAOBAO"])
        listed = api_client.get(f"{API}/stores/{store.pk}/campaigns/").json()
        assert [row["id"] for row in listed] == [upcoming.pk]
        assert api_client.post(f"{API}/stores/{store.pk}/campaigns/{upcoming.pk}/enroll/").status_code == 201
        assert CampaignEnrollment.objects.filter(store=store, campaign=upcoming).exists()
        assert api_client.post(f"{API}/stores/{store.pk}/campaigns/{taobao_only.pk}/enroll/").status_code == 400
        assert api_client.post(f"{API}/stores/{store.pk}/campaigns/{upcoming.pk}/withdraw/").status_code == 200
        assert not CampaignEnrollment.objects.filter(store=store).exists()

    def test_customer_service_cannot_manage_promotions(self, api_client):
        from shops.models import StaffRole, StoreStaff

        store = StoreFactory()
        agent = UserFactory()
        StoreStaff.objects.create(store=store, user=agent, role=StaffRole.CUSTOMER_SERVICE)
        api_client.force_authenticate(agent)
        assert api_client.get(f"{API}/stores/{store.pk}/promotions/").status_code == 404


def test_issued_coupon_statuses_exist():
    assert set(IssuedCoupon.Status.values) == {"claimed", "used", "returned", "expired"}


def test_openapi_schema_documents_the_promotions_api(api_client):
    response = api_client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/api/v1/promotions/quote/", "/api/v1/promotions/coupons/{id}/claim/",
                 "/api/v1/promotions/stores/{store_id}/promotions/{id}/", "/api/v1/promotions/campaigns/"):  # fmt: skip
        assert path in paths
    quote = paths["/api/v1/promotions/quote/"]["post"]
    assert "CartQuoteRequest" in str(quote["requestBody"]) and "PricedCart" in str(quote["responses"]["200"])


def test_coupon_center_filtered_by_store(api_client):
    store = StoreFactory()
    mine = StoreCouponTemplateFactory(store=store)
    StoreCouponTemplateFactory()
    CouponTemplateFactory()
    assert [row["id"] for row in api_client.get(f"{API}/coupons/?store={store.pk}").json()] == [mine.pk]
    assert api_client.get(f"{API}/coupons/?store=abc").status_code == 400


def test_patching_a_coupon_answers_and_declares_the_coupon_as_a_get_does(operator_client):
    """PATCH answers the whole coupon (CouponTemplateSerializer), and the schema must say so, as for GET and PUT."""
    schema = operator_client.get("/api/schema/?format=json").json()
    for path in (f"{API}/platform-coupons/{{id}}/", f"{API}/stores/{{store_id}}/coupons/{{id}}/"):
        operations = schema["paths"][path]
        declared = {method: operations[method]["responses"]["200"]["content"]["application/json"]["schema"]
                    for method in ("get", "put", "patch")}  # fmt: skip
        assert declared["patch"] == declared["get"] == declared["put"], path
    template = CouponTemplateFactory()
    patched = operator_client.patch(f"{API}/platform-coupons/{template.pk}/", {"name": "改名"}, format="json")
    assert patched.status_code == 200, patched.json()
    coupon = schema["components"]["schemas"]["CouponTemplate"]
    assert set(coupon["required"]) <= set(patched.json()) and patched.json()["name"] == "改名"
