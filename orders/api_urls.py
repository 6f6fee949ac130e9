from django.urls import path
from rest_framework.routers import SimpleRouter

from orders import api

router = SimpleRouter()
router.register("orders", api.OrderViewSet, basename="api-orders")
router.register("seller/suborders", api.SellerSubOrderViewSet, basename="api-seller-suborders")

urlpatterns = [
    path("cart/", api.CartView.as_view(), name="api-cart"),
    path("cart/items/", api.CartItemsView.as_view(), name="api-cart-items"),
    path("cart/items/<int:pk>/", api.CartItemView.as_view(), name="api-cart-item"),
    path("cart/selection/", api.CartSelectionView.as_view(), name="api-cart-selection"),
    path("cart/coupons/", api.CartCouponsView.as_view(), name="api-cart-coupons"),
    path("checkout/options/", api.CheckoutOptionsView.as_view(), name="api-checkout-options"),
    path("checkout/", api.CheckoutView.as_view(), name="api-checkout"),
    path("flash/<int:sku_id>/", api.FlashSaleView.as_view(), name="api-flash-sale"),
    path("flash/<int:sku_id>/buy/", api.FlashBuyView.as_view(), name="api-flash-buy"),
    path("flash/tickets/<str:ticket_id>/", api.FlashTicketView.as_view(), name="api-flash-ticket"),
    path(
        "orders/<str:number>/suborders/<int:pk>/confirm-receipt/",
        api.ConfirmReceiptView.as_view(),
        name="api-confirm-receipt",
    ),
    *router.urls,
]
