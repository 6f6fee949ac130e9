from django.urls import path

from customers.views import seller, storefront

app_name = "customers"
urlpatterns = [
    # Shopper
    path("me/follows/", storefront.my_follows, name="follows"),
    path("me/favourites/", storefront.my_favourites, name="favourites"),
    path("me/footprints/", storefront.my_footprints, name="footprints"),
    path("me/footprints/clear/", storefront.clear_footprints, name="footprints_clear"),
    path("me/footprints/<int:pk>/delete/", storefront.delete_footprint, name="footprint_delete"),
    path("s/<slug:slug>/follow/", storefront.toggle_follow, name="toggle_follow"),
    path("p/<int:pk>/favourite/", storefront.toggle_favourite, name="toggle_favourite"),
    # Merchant workbench
    path("seller/customers/", seller.customer_list, name="seller_list"),
    path("seller/customers/segments/", seller.segments_page, name="seller_segments"),
    path("seller/customers/recompute/", seller.recompute, name="seller_recompute"),
    path("seller/customers/<int:pk>/", seller.customer_detail, name="seller_detail"),
    path("seller/targeted-coupons/", seller.campaign_list, name="seller_campaigns"),
    path("seller/targeted-coupons/new/", seller.campaign_new, name="seller_campaign_new"),
    path("seller/targeted-coupons/<int:pk>/", seller.campaign_detail, name="seller_campaign"),
    path("seller/targeted-coupons/<int:pk>/send/", seller.campaign_send, name="seller_campaign_send"),
]
