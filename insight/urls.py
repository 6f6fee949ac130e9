from django.urls import path

from insight.views import seller, storefront

app_name = "insight"
urlpatterns = [
    path("recommendations/", storefront.recommendations_fragment, name="recommendations"),
    path("account/tracking/", storefront.tracking, name="tracking"),
    path("cart/fill-up/", storefront.basket_fill, name="basket_fill"),
    path("seller/analytics/", seller.analytics_page, name="seller_analytics"),
    path("seller/analytics/export.csv", seller.analytics_csv, name="seller_analytics_csv"),
    path("seller/todo/", seller.todo_board, name="seller_todo"),
    path("seller/forecast/", seller.forecast_page, name="seller_forecast"),
    path("seller/forecast/export.csv", seller.forecast_csv, name="seller_forecast_csv"),
]
