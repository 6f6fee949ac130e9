from django.urls import path

from orders import flash_views, invoice_views, shopper_views, views

app_name = "orders"
urlpatterns = [
    path("cart/", shopper_views.cart_page, name="cart"),
    path("cart/select/", shopper_views.cart_select, name="cart_select"),
    path("cart/count/", shopper_views.cart_count, name="cart_count"),
    path("buy-now/", shopper_views.buy_now, name="buy_now"),
    path("cart/items/", views.cart_add, name="cart_add"),
    path("cart/items/<int:pk>/", views.cart_item_update, name="cart_item"),
    path("cart/coupons/", views.cart_coupons, name="cart_coupons"),
    path("checkout/", shopper_views.checkout_page, name="checkout"),
    path("flash/", flash_views.flash_list, name="flash_list"),
    path("flash/<int:sku_id>/", flash_views.flash_sale, name="flash_sale"),
    path("flash/tickets/<str:ticket_id>/", flash_views.flash_ticket, name="flash_ticket"),
    path("orders/", views.order_list, name="order_list"),
    path("orders/<str:number>/", views.order_detail, name="order_detail"),
    path("orders/<str:number>/cancel/", views.order_cancel, name="order_cancel"),
    path("orders/<str:number>/suborders/<int:pk>/receive/", views.suborder_receive, name="suborder_receive"),
    path("invoices/<int:suborder_id>/invoice.pdf", invoice_views.invoice_pdf, name="invoice_pdf"),
    path("seller/orders/", views.seller_orders, name="seller_orders"),
    path("seller/orders/<int:pk>/", views.seller_order_detail, name="seller_order_detail"),
    path("seller/orders/<int:pk>/ship/", views.seller_ship, name="seller_ship"),
    path("seller/orders/<int:pk>/invoice/", invoice_views.seller_invoice, name="seller_invoice"),
    path("seller/orders/<int:pk>/pickup/", views.seller_pickup, name="seller_pickup"),
]
