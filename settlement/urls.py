from django.urls import path

from settlement.views import ops, seller

app_name = "settlement"
urlpatterns = [
    # Merchant workbench
    path("seller/finance/", seller.seller_statements, name="seller_statements"),
    # Operators
    path("ops/finance/", ops.ops_settlement, name="ops_settlement"),
    path("ops/finance/runs/", ops.ops_settlement_start, name="ops_settlement_start"),
    path("ops/finance/runs/<int:pk>/", ops.ops_settlement_run, name="ops_settlement_run"),
    path("ops/finance/payouts/", ops.ops_payouts_run, name="ops_payouts_run"),
    path("ops/finance/commissions/", ops.ops_commissions, name="ops_commissions"),
    path("ops/finance/commissions/<int:pk>/delete/", ops.ops_commission_delete, name="ops_commission_delete"),
]
