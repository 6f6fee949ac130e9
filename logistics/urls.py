from django.urls import path

from logistics.views import sandbox

app_name = "logistics"

urlpatterns = [
    path("logistics/sandbox/<int:suborder_id>/advance/", sandbox.advance_parcel, name="sandbox_advance"),
]
