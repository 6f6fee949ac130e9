from django.urls import path

from payments import api

urlpatterns = [
    path("orders/<str:number>/pay/", api.PayOrderView.as_view(), name="api-pay-order"),
    path("payments/<str:reference>/", api.PaymentView.as_view(), name="api-payment"),
    path("payments/sandbox/<str:reference>/complete/", api.SandboxCompleteView.as_view(), name="api-sandbox-complete"),
    path("payments/deliveries/stuck/", api.StuckDeliveriesView.as_view(), name="api-stuck-deliveries"),
    path("payments/deliveries/<int:pk>/redeliver/", api.RedeliverView.as_view(), name="api-redeliver-delivery"),
    path("payments/callback/sandbox/", api.CallbackView.as_view(), name="payments-callback"),
]
