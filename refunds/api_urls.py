from django.urls import path

from payments.settlement import api as finance
from refunds import api

urlpatterns = [
    # Shopper
    path("refunds/", api.RefundListCreateView.as_view(), name="api-refunds"),
    path("refunds/<int:pk>/", api.RefundDetailView.as_view(), name="api-refund"),
    path("refunds/cancel-overdue/", api.CancelOverdueView.as_view(), name="api-refund-cancel-overdue"),
    path("refunds/<int:pk>/withdraw/", api.RefundWithdrawView.as_view(), name="api-refund-withdraw"),
    path("refunds/<int:pk>/modify/", api.RefundModifyView.as_view(), name="api-refund-modify"),
    path("refunds/<int:pk>/escalate/", api.RefundEscalateView.as_view(), name="api-refund-escalate"),
    path("refunds/<int:pk>/return-shipment/", api.RefundReturnShipmentView.as_view(), name="api-refund-return"),
    path("refunds/refundable/<int:suborder_id>/", api.RefundableLinesView.as_view(), name="api-refundable-lines"),
    # Merchant
    path("seller/refunds/", api.SellerRefundListView.as_view(), name="api-seller-refunds"),
    path("seller/refunds/<int:pk>/", api.SellerRefundDetailView.as_view(), name="api-seller-refund"),
    path("seller/refunds/<int:pk>/approve/", api.SellerApproveView.as_view(), name="api-seller-refund-approve"),
    path("seller/refunds/<int:pk>/reject/", api.SellerRejectView.as_view(), name="api-seller-refund-reject"),
    path(
        "seller/refunds/<int:pk>/confirm-return/",
        api.SellerConfirmReturnView.as_view(),
        name="api-seller-refund-confirm-return",
    ),  # fmt: skip
    path("seller/finance/statement/", finance.SellerStatementView.as_view(), name="api-seller-statement"),
    # Operator
    path("ops/refunds/", api.OpsRefundListView.as_view(), name="api-ops-refunds"),
    path("ops/refunds/<int:pk>/", api.OpsRefundDetailView.as_view(), name="api-ops-refund"),
    path("ops/refunds/<int:pk>/decide/", api.OpsDecideView.as_view(), name="api-ops-refund-decide"),
    path("ops/refund-policy/", api.PolicyView.as_view(), name="api-refund-policy"),
    path("ops/refund-policy/versions/", api.PolicyVersionsView.as_view(), name="api-refund-policy-versions"),
    path(
        "ops/refund-policy/versions/<int:number>/publish/",
        api.PolicyPublishView.as_view(),
        name="api-refund-policy-publish",
    ),  # fmt: skip
    path("ops/refund-policy/dry-run/", api.PolicyDryRunView.as_view(), name="api-refund-policy-dry-run"),
    path("ops/finance/commission-rates/", finance.CommissionRatesView.as_view(), name="api-commission-rates"),
    path("ops/finance/commission-rates/<int:pk>/", finance.CommissionRateView.as_view(), name="api-commission-rate"),
    path("ops/finance/settlement-runs/", finance.SettlementRunsView.as_view(), name="api-settlement-runs"),
    path("ops/finance/settlement-runs/<int:pk>/", finance.SettlementRunView.as_view(), name="api-settlement-run"),
    path("ops/finance/payouts/", finance.PayoutsView.as_view(), name="api-payouts"),
    path("ops/finance/payouts/run/", finance.PayoutRunView.as_view(), name="api-payouts-run"),
    path("ops/finance/promotion-subsidies/", finance.PromotionSubsidiesView.as_view(), name="api-promotion-subsidies"),
]
