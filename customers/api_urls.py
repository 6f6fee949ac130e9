from django.urls import path

from customers import api

urlpatterns = [
    # Merchant
    path("seller/customers/", api.CustomerListView.as_view(), name="api-seller-customers"),
    path("seller/customers/segments/", api.SegmentsView.as_view(), name="api-seller-customer-segments"),
    path("seller/customers/recompute/", api.RecomputeView.as_view(), name="api-seller-customer-recompute"),
    path("seller/customers/trend/", api.TrendView.as_view(), name="api-seller-customer-trend"),
    path("seller/customers/<int:pk>/", api.CustomerDetailView.as_view(), name="api-seller-customer"),
    path("seller/targeted-coupons/", api.CampaignListView.as_view(), name="api-seller-targeted-coupons"),
    path("seller/targeted-coupons/<int:pk>/", api.CampaignDetailView.as_view(), name="api-seller-targeted-coupon"),
    path(
        "seller/targeted-coupons/<int:pk>/send/",
        api.CampaignSendView.as_view(),
        name="api-seller-targeted-coupon-send",
    ),  # fmt: skip
    # Shopper
    path("stores/<slug:slug>/follow/", api.StoreFollowView.as_view(), name="api-store-follow"),
    path("products/<int:pk>/favourite/", api.ProductFavouriteView.as_view(), name="api-product-favourite"),
    path("me/follows/", api.MyFollowsView.as_view(), name="api-my-follows"),
    path("me/favourites/", api.MyFavouritesView.as_view(), name="api-my-favourites"),
    path("me/footprints/", api.MyFootprintsView.as_view(), name="api-my-footprints"),
    path("me/footprints/<int:pk>/", api.MyFootprintView.as_view(), name="api-my-footprint"),
]
