"""Pages: coupon center (claim with and without htmx), my coupons, console forms with preview, workbench forms."""

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
    StorePromotionFactory,
)
from tests.shops.factories import ProductFactory, SKUFactory, StoreFactory, TmallStoreFactory

pytestmark = pytest.mark.django_db
D = Decimal


def local(delta_days):
    return timezone.localtime(timezone.now() + datetime.timedelta(days=delta_days)).strftime("%Y-%m-%dT%H:%M")


class TestStorefront:
    def test_coupon_center_lists_and_claims(self, client):
        template = CouponTemplateFactory(name="满200减20")
        response = client.get("/coupons/")
        assert response.status_code == 200 and "满200减20" in response.content.decode()
        assert f'data-testid="claim-{template.pk}"' in response.content.decode()
        # anonymous claim goes to login
        assert client.post(f"/coupons/{template.pk}/claim/").status_code == 302
        shopper = UserFactory()
        client.force_login(shopper)
        response = client.post(f"/coupons/{template.pk}/claim/", HTTP_HX_REQUEST="true")
        assert response.status_code == 200 and 'data-testid="claim-ok"' in response.content.decode()
        assert "Limit reached" in response.content.decode()
        again = client.post(f"/coupons/{template.pk}/claim/", HTTP_HX_REQUEST="true")
        assert 'data-testid="claim-error"' in again.content.decode()
        assert IssuedCoupon.objects.filter(shopper=shopper).count() == 1

    def test_menu_has_coupons(self, client):
        assert 'href="/coupons/"' in client.get("/coupons/").content.decode()

    def test_my_coupons_tabs(self, client):
        shopper = UserFactory()
        usable = IssuedCouponFactory(shopper=shopper)
        used = IssuedCouponFactory(shopper=shopper, status=IssuedCoupon.Status.USED, order_id=77)
        IssuedCouponFactory()  # someone else's
        client.force_login(shopper)
        page = client.get("/coupons/mine/").content.decode()
        assert f"my-coupon-{usable.pk}" in page and f"my-coupon-{used.pk}" not in page
        page = client.get("/coupons/mine/?tab=used").content.decode()
        assert f"my-coupon-{used.pk}" in page and "77" in page
        assert client.get("/coupons/mine/?tab=expired").status_code == 200

    def test_my_coupons_needs_login(self, client):
        assert client.get("/coupons/mine/").status_code == 302


class TestConsole:
    def test_operator_only(self, client):
        client.force_login(UserFactory())
        assert client.get("/ops/promotions/campaigns/").status_code == 403

    def campaign_form(self, **overrides):
        return {"name": "跨店满减", "starts_at": local(0), "ends_at": local(3), "every": "300.00", "off": "50.00",
                "brands": ["TMALL", "TAOBAO"], "platform_share": "0.50", "budget": "1000.00", "is_active": "on",
                "action": "save", **overrides}  # fmt: skip

    def test_create_campaign_and_edit(self, client):
        client.force_login(OperatorFactory())
        assert client.get("/ops/promotions/campaigns/new/").status_code == 200
        response = client.post("/ops/promotions/campaigns/new/", self.campaign_form())
        assert response.status_code == 302
        campaign = Campaign.objects.get()
        assert campaign.platform_share == D("0.50") and campaign.brands == ["TAOBAO", "TMALL"]
        page = client.get(f"/ops/promotions/campaigns/{campaign.pk}/").content.decode()
        assert "跨店满减" in page and 'data-testid="preview-button"' in page
        assert "跨店满减" in client.get("/ops/promotions/campaigns/").content.decode()

    def test_bad_campaign_shows_errors_and_saves_nothing(self, client):
        client.force_login(OperatorFactory())
        response = client.post("/ops/promotions/campaigns/new/", self.campaign_form(off="400.00"))
        assert response.status_code == 200
        assert "cannot be larger than the step" in response.content.decode()
        response = client.post("/ops/promotions/campaigns/new/", self.campaign_form(ends_at=local(-1)))
        assert "The end must be after the start" in response.content.decode()
        assert not Campaign.objects.exists()

    def test_preview_an_unsaved_campaign_on_a_sample_cart(self, client):
        client.force_login(OperatorFactory())
        s1, s2 = TmallStoreFactory(), StoreFactory()
        a = SKUFactory(product=ProductFactory(store=s1), price=D("200.00"))
        b = SKUFactory(product=ProductFactory(store=s2), price=D("250.00"))
        form = self.campaign_form(
            action="preview", sample_sku_1=a.pk, sample_qty_1=1, sample_sku_2=b.pk, sample_qty_2=1
        )
        response = client.post("/ops/promotions/campaigns/new/", form)
        page = response.content.decode()
        assert response.status_code == 200 and 'data-testid="preview-result"' in page
        assert "¥177.78" in page and "¥222.22" in page and "¥400.00" in page
        assert not Campaign.objects.exists()  # a preview saves nothing

    def test_preview_a_saved_campaign_uses_its_enrolled_stores(self, client):
        client.force_login(OperatorFactory())
        enrolled, outsider = TmallStoreFactory(), StoreFactory()
        campaign = CampaignFactory(every=D("100.00"), off=D("10.00"))
        EnrollmentFactory(campaign=campaign, store=enrolled)
        a = SKUFactory(product=ProductFactory(store=enrolled), price=D("200.00"))
        b = SKUFactory(product=ProductFactory(store=outsider), price=D("200.00"))
        form = self.campaign_form(starts_at=local(-1), every="100.00", off="10.00", action="preview",
                                  sample_sku_1=a.pk, sample_qty_1=1, sample_sku_2=b.pk, sample_qty_2=1)  # fmt: skip
        page = client.post(f"/ops/promotions/campaigns/{campaign.pk}/", form).content.decode()
        assert 'data-testid="preview-discount">−¥20.00' in page  # only the enrolled store's 200.00 takes part

    def test_platform_coupon_form_and_preview(self, client):
        client.force_login(OperatorFactory())
        form = {"kind": "platform_coupon", "name": "平台券", "off": "30.00", "threshold": "200.00", "valid_days": "7",
                "total_quantity": "100", "per_shopper_limit": "1", "channel": "center", "is_active": "on",
                "action": "save"}  # fmt: skip
        assert client.post("/ops/promotions/coupons/new/", form).status_code == 302
        template = CouponTemplate.objects.get()
        sku = SKUFactory(price=D("250.00"))
        preview = client.post(f"/ops/promotions/coupons/{template.pk}/",
                              {**form, "action": "preview", "sample_sku_1": sku.pk, "sample_qty_1": 1})  # fmt: skip
        assert "¥220.00" in preview.content.decode()
        bad = client.post("/ops/promotions/coupons/new/", {**form, "off": "300.00"})
        assert "cannot be larger than the minimum spend" in bad.content.decode()
        assert CouponTemplate.objects.count() == 1


class TestWorkbench:
    def test_store_promotions_pages(self, client):
        store = StoreFactory()
        sku = SKUFactory(product=ProductFactory(store=store), price=D("100.00"))
        client.force_login(store.merchant.owner)
        assert client.get("/seller/promotions/").status_code == 200
        assert client.get("/seller/promotions/new/item_discount/").status_code == 200
        response = client.post("/seller/promotions/new/item_discount/",
                               {"name": "直降", "discount_type": "amount_off", "value": "10.00", "skus": [sku.pk],
                                "is_active": "on"})  # fmt: skip
        assert response.status_code == 302, response.content.decode()
        response = client.post("/seller/promotions/new/store_threshold/",
                               {"name": "满减", "tier_threshold_1": "200.00", "tier_off_1": "30.00",
                                "tier_threshold_2": "300.00", "tier_off_2": "20.00", "is_active": "on"})  # fmt: skip
        assert response.status_code == 200 and "larger amount off" in response.content.decode()
        response = client.post("/seller/promotions/new/store_threshold/",
                               {"name": "满减", "every": "200.00", "off": "20.00", "is_active": "on"})  # fmt: skip
        assert response.status_code == 302
        assert StorePromotion.objects.filter(store=store).count() == 2

    def test_another_stores_promotion_is_404(self, client):
        store = StoreFactory()
        foreign = StorePromotionFactory()
        client.force_login(store.merchant.owner)
        assert client.get(f"/seller/promotions/{foreign.pk}/").status_code == 404

    def test_store_coupon_and_enrollment(self, client):
        store = TmallStoreFactory()
        client.force_login(store.merchant.owner)
        form = {"name": "店铺券", "off": "10.00", "threshold": "99.00", "valid_days": "30", "total_quantity": "50",
                "per_shopper_limit": "1", "channel": "center", "is_active": "on"}  # fmt: skip
        assert client.post("/seller/promotions/coupons/new/", form).status_code == 302
        assert CouponTemplate.objects.get().store == store
        campaign = CampaignFactory(starts_at=timezone.now() + datetime.timedelta(days=1))
        page = client.get("/seller/promotions/campaigns/").content.decode()
        assert f"enroll-{campaign.pk}" in page
        client.post("/seller/promotions/campaigns/", {"campaign": campaign.pk, "action": "enroll"})
        assert CampaignEnrollment.objects.filter(store=store, campaign=campaign).exists()
        client.post("/seller/promotions/campaigns/", {"campaign": campaign.pk, "action": "withdraw"})
        assert not CampaignEnrollment.objects.exists()
