from django.urls import path
from rest_framework.routers import SimpleRouter

from accounts import api, audit

address_router = SimpleRouter()
address_router.register("addresses", api.AddressViewSet, basename="api-addresses")

urlpatterns = [
    path("auth/token/", api.ObtainTokenView.as_view(), name="api-token"),
    path("me/", api.MeView.as_view(), name="api-me"),
    path("ops/audit/", audit.AuditLogView.as_view(), name="api-ops-audit"),
    *address_router.urls,
]
