from django.urls import include, path
from rest_framework.routers import SimpleRouter

from livestream import api

router = SimpleRouter()
router.register("live/streams", api.PublicStreamViewSet, basename="live-stream")
router.register("live/host/streams", api.HostStreamViewSet, basename="live-host-stream")

urlpatterns = [
    path(
        "live/host/streams/<int:stream_id>/products/<int:featured_id>/",
        api.HostFeaturedProductView.as_view(),
        name="live-host-featured",
    ),
    path("live/creator/profile/", api.CreatorProfileView.as_view(), name="live-creator-profile"),
    path("live/stores/<int:store_id>/creator-policy/", api.CreatorPolicyView.as_view(), name="live-creator-policy"),
    path("", include(router.urls)),
]
