from django.urls import path

from logistics import api

urlpatterns = [
    path("logistics/carriers/", api.CarrierListView.as_view(), name="api-carriers"),
    path("logistics/webhook/", api.CarrierWebhookView.as_view(), name="api-carrier-webhook"),
    path(
        "logistics/suborders/<int:suborder_id>/wait-for-store/",
        api.WaitForStoreView.as_view(),
        name="api-wait-for-store",
    ),
    path("seller/late-shipments/", api.SellerLateShipmentListView.as_view(), name="api-seller-late-shipments"),
    path("seller/late-shipments/counts/", api.SellerLateShipmentCountView.as_view(), name="api-seller-late-counts"),
]
