from django.urls import path

from payments import views

app_name = "payments"
urlpatterns = [
    path("orders/<str:number>/pay/", views.pay_order, name="pay_order"),
    path("pay/sandbox/<str:reference>/", views.sandbox_page, name="sandbox_page"),
]
