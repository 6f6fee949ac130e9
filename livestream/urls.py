from django.urls import path, register_converter

from livestream import views


class IdConverter:
    """A database id: at most 18 digits, so an absurd number is a 404 instead of a bigint overflow."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "live_id")

app_name = "livestream"
urlpatterns = [
    path("live/", views.live_list, name="list"),
    path("live/<live_id:pk>/", views.watch, name="watch"),
    path("live/<live_id:pk>/products/", views.products_partial, name="products"),
    path("live/<live_id:pk>/cart/", views.add_to_cart, name="add_to_cart"),
    path("live/<live_id:pk>/coupons/<live_id:drop_id>/claim/", views.claim, name="claim"),
    path("seller/live/", views.seller_streams, name="seller_streams"),
    path("seller/live/new/", views.seller_stream_new, name="seller_stream_new"),
    path("seller/live/creators/", views.seller_creator_policy, name="seller_creator_policy"),
    path("seller/live/<live_id:pk>/", views.seller_console, name="seller_console"),
    path("seller/live/<live_id:pk>/metrics/", views.seller_metrics, name="seller_metrics"),
    path("seller/live/<live_id:pk>/action/<slug:name>/", views.seller_action, name="seller_action"),
    path("creator/", views.creator_home, name="creator_home"),
    path("creator/profile/", views.creator_profile, name="creator_profile"),
    path("creator/live/new/", views.creator_stream_new, name="creator_stream_new"),
    path("creator/live/<live_id:pk>/", views.creator_console, name="creator_console"),
    path("creator/live/<live_id:pk>/metrics/", views.creator_metrics, name="creator_metrics"),
    path("creator/live/<live_id:pk>/action/<slug:name>/", views.creator_action, name="creator_action"),
]
