from django.urls import path

from payments.views import storefront

app_name = "payments"
urlpatterns = [
    path("orders/<str:number>/pay/", storefront.pay_order, name="pay_order"),
    path("pay/sandbox/<str:reference>/", storefront.sandbox_page, name="sandbox_page"),
]
