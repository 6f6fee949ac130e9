from django.urls import path

from logistics.views import sandbox, seller

app_name = "logistics"

urlpatterns = [
    path("seller/late-shipments/", seller.late_shipments, name="seller_late_shipments"),
    path("logistics/sandbox/<int:suborder_id>/advance/", sandbox.advance_parcel, name="sandbox_advance"),
]
