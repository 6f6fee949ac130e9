from django.urls import path

from orders.views import seller, storefront

app_name = "orders"
urlpatterns = [
    path("cart/", storefront.cart_page, name="cart"),
    path("cart/select/", storefront.cart_select, name="cart_select"),
    path("cart/count/", storefront.cart_count, name="cart_count"),
    path("buy-now/", storefront.buy_now, name="buy_now"),
    path("cart/items/", storefront.cart_add, name="cart_add"),
    path("cart/items/<int:pk>/", storefront.cart_item_update, name="cart_item"),
    path("cart/coupons/", storefront.cart_coupons, name="cart_coupons"),
    path("checkout/", storefront.checkout_page, name="checkout"),
    path("flash/", storefront.flash_list, name="flash_list"),
    path("flash/<int:sku_id>/", storefront.flash_sale, name="flash_sale"),
    path("flash/tickets/<str:ticket_id>/", storefront.flash_ticket, name="flash_ticket"),
    path("orders/", storefront.order_list, name="order_list"),
    path("orders/<str:number>/", storefront.order_detail, name="order_detail"),
    path("orders/<str:number>/cancel/", storefront.order_cancel, name="order_cancel"),
    path("orders/<str:number>/suborders/<int:pk>/receive/", storefront.suborder_receive, name="suborder_receive"),
    path("invoices/<int:suborder_id>/invoice.pdf", storefront.invoice_pdf, name="invoice_pdf"),
    path("seller/orders/", seller.seller_orders, name="seller_orders"),
    path("seller/orders/<int:pk>/", seller.seller_order_detail, name="seller_order_detail"),
    path("seller/orders/<int:pk>/ship/", seller.seller_ship, name="seller_ship"),
    path("seller/orders/<int:pk>/invoice/", seller.seller_invoice, name="seller_invoice"),
    path("seller/orders/<int:pk>/pickup/", seller.seller_pickup, name="seller_pickup"),
]
