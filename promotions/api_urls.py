from django.urls import path
from rest_framework.routers import SimpleRouter

from promotions import api

router = SimpleRouter()
router.register("promotions/coupons", api.CouponCenterViewSet, basename="promotions-coupon-center")
router.register("promotions/my-coupons", api.MyCouponsViewSet, basename="promotions-my-coupons")
router.register("promotions/campaigns", api.CampaignViewSet, basename="promotions-campaigns")
router.register("promotions/platform-coupons", api.PlatformCouponViewSet, basename="promotions-platform-coupons")
router.register(
    r"promotions/stores/(?P<store_id>\d+)/promotions", api.StorePromotionViewSet, basename="promotions-store-promotions"
)
router.register(
    r"promotions/stores/(?P<store_id>\d+)/coupons", api.StoreCouponViewSet, basename="promotions-store-coupons"
)
router.register(
    r"promotions/stores/(?P<store_id>\d+)/campaigns", api.StoreCampaignViewSet, basename="promotions-store-campaigns"
)

urlpatterns = [
    path("promotions/quote/", api.QuoteView.as_view(), name="promotions-quote"),
    *router.urls,
]
