from django.urls import path

from insight import api

urlpatterns = [
    path("seller/analytics/", api.SellerAnalyticsView.as_view(), name="api-seller-analytics"),
    path("seller/todo/", api.SellerTodoView.as_view(), name="api-seller-todo"),
    path("seller/forecast/", api.SellerForecastView.as_view(), name="api-seller-forecast"),
    path("recommendations/", api.RecommendationsView.as_view(), name="api-recommendations"),
    path("cart/fill-up/", api.BasketFillView.as_view(), name="api-basket-fill"),
    path("me/tracking/", api.TrackingView.as_view(), name="api-tracking"),
]
