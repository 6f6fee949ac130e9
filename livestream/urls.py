from django.urls import path

from livestream import views

app_name = "livestream"
urlpatterns = [
    path("live/", views.live_list, name="list"),
    path("live/<int:pk>/", views.watch, name="watch"),
    path("live/<int:pk>/products/", views.products_partial, name="products"),
    path("live/<int:pk>/cart/", views.add_to_cart, name="add_to_cart"),
    path("live/<int:pk>/coupons/<int:drop_id>/claim/", views.claim, name="claim"),
    path("seller/live/", views.seller_streams, name="seller_streams"),
    path("seller/live/new/", views.seller_stream_new, name="seller_stream_new"),
    path("seller/live/creators/", views.seller_creator_policy, name="seller_creator_policy"),
    path("seller/live/<int:pk>/", views.seller_console, name="seller_console"),
    path("seller/live/<int:pk>/metrics/", views.seller_metrics, name="seller_metrics"),
    path("seller/live/<int:pk>/action/<slug:name>/", views.seller_action, name="seller_action"),
    path("creator/", views.creator_home, name="creator_home"),
    path("creator/profile/", views.creator_profile, name="creator_profile"),
    path("creator/live/new/", views.creator_stream_new, name="creator_stream_new"),
    path("creator/live/<int:pk>/", views.creator_console, name="creator_console"),
    path("creator/live/<int:pk>/metrics/", views.creator_metrics, name="creator_metrics"),
    path("creator/live/<int:pk>/action/<slug:name>/", views.creator_action, name="creator_action"),
]
