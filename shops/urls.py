from django.urls import path

from shops import views

app_name = "shops"
urlpatterns = [
    path("", views.home, name="home"),
    path("seller/", views.seller_dashboard, name="seller_dashboard"),
    path("seller/switch/", views.seller_switch, name="seller_switch"),
    path("ops/", views.ops_dashboard, name="ops_dashboard"),
]
