from django.urls import path

from promotions.views import ops, seller, storefront

app_name = "promotions"
urlpatterns = [
    path("promotions/offers/", storefront.product_offers, name="product_offers"),
    path("coupons/", storefront.coupon_center, name="coupon_center"),
    path("coupons/<int:pk>/claim/", storefront.claim_coupon, name="claim_coupon"),
    path("coupons/mine/", storefront.my_coupons, name="my_coupons"),
    path("ops/promotions/campaigns/", ops.ops_campaigns, name="ops_campaigns"),
    path("ops/promotions/campaigns/new/", ops.ops_campaign_edit, name="ops_campaign_new"),
    path("ops/promotions/campaigns/<int:pk>/", ops.ops_campaign_edit, name="ops_campaign_edit"),
    path("ops/promotions/coupons/", ops.ops_coupons, name="ops_coupons"),
    path("ops/promotions/coupons/new/", ops.ops_coupon_edit, name="ops_coupon_new"),
    path("ops/promotions/coupons/<int:pk>/", ops.ops_coupon_edit, name="ops_coupon_edit"),
    path("seller/promotions/", seller.seller_promotions, name="seller_promotions"),
    path("seller/promotions/new/<slug:kind>/", seller.seller_promotion_edit, name="seller_promotion_new"),
    path("seller/promotions/<int:pk>/", seller.seller_promotion_edit, name="seller_promotion_edit"),
    path("seller/promotions/coupons/new/", seller.seller_coupon_edit, name="seller_coupon_new"),
    path("seller/promotions/coupons/<int:pk>/", seller.seller_coupon_edit, name="seller_coupon_edit"),
    path("seller/promotions/campaigns/", seller.seller_campaigns, name="seller_campaigns"),
]
