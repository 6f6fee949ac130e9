from django.urls import path

from payments.views import ops, storefront

app_name = "payments"
urlpatterns = [
    path("orders/<str:number>/pay/", storefront.pay_order, name="pay_order"),
    path("pay/sandbox/<str:reference>/", storefront.sandbox_page, name="sandbox_page"),
    path("ops/payments/stuck/", ops.stuck_payments, name="ops_stuck"),
    path("ops/payments/deliveries/<int:pk>/redeliver/", ops.redeliver, name="ops_redeliver"),
]
