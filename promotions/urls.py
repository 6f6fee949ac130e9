from django.urls import path

from promotions import offers_views, views

app_name = "promotions"
urlpatterns = [
    path("promotions/offers/", offers_views.product_offers, name="product_offers"),
    path("coupons/", views.coupon_center, name="coupon_center"),
    path("coupons/<int:pk>/claim/", views.claim_coupon, name="claim_coupon"),
    path("coupons/mine/", views.my_coupons, name="my_coupons"),
    path("ops/promotions/campaigns/", views.ops_campaigns, name="ops_campaigns"),
    path("ops/promotions/campaigns/new/", views.ops_campaign_edit, name="ops_campaign_new"),
    path("ops/promotions/campaigns/<int:pk>/", views.ops_campaign_edit, name="ops_campaign_edit"),
    path("ops/promotions/coupons/", views.ops_coupons, name="ops_coupons"),
    path("ops/promotions/coupons/new/", views.ops_coupon_edit, name="ops_coupon_new"),
    path("ops/promotions/coupons/<int:pk>/", views.ops_coupon_edit, name="ops_coupon_edit"),
    path("seller/promotions/", views.seller_promotions, name="seller_promotions"),
    path("seller/promotions/new/<slug:kind>/", views.seller_promotion_edit, name="seller_promotion_new"),
    path("seller/promotions/<int:pk>/", views.seller_promotion_edit, name="seller_promotion_edit"),
    path("seller/promotions/coupons/new/", views.seller_coupon_edit, name="seller_coupon_new"),
    path("seller/promotions/coupons/<int:pk>/", views.seller_coupon_edit, name="seller_coupon_edit"),
    path("seller/promotions/campaigns/", views.seller_campaigns, name="seller_campaigns"),
]
