from django.urls import path

from logistics.views import sandbox, seller, storefront

app_name = "logistics"

urlpatterns = [
    path("seller/late-shipments/", seller.late_shipments, name="seller_late_shipments"),
    path("logistics/suborders/<int:suborder_id>/wait-for-store/", storefront.wait_for_store, name="wait_for_store"),
    path("logistics/sandbox/<int:suborder_id>/advance/", sandbox.advance_parcel, name="sandbox_advance"),
]
