from django.urls import path

from refunds import api, api_ops

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
    path("refunds/preview/<int:suborder_id>/", api.RefundPreviewView.as_view(), name="api-refund-preview"),
    path("me/credits/", api.MyCreditsView.as_view(), name="api-my-credits"),
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
    # Operator
    path("ops/refunds/", api_ops.OpsRefundListView.as_view(), name="api-ops-refunds"),
    path("ops/refunds/<int:pk>/", api_ops.OpsRefundDetailView.as_view(), name="api-ops-refund"),
    path("ops/refunds/<int:pk>/decide/", api_ops.OpsDecideView.as_view(), name="api-ops-refund-decide"),
    path("ops/refund-policy/", api_ops.PolicyView.as_view(), name="api-refund-policy"),
    path("ops/refund-policy/versions/", api_ops.PolicyVersionsView.as_view(), name="api-refund-policy-versions"),
    path(
        "ops/refund-policy/versions/<int:number>/publish/",
        api_ops.PolicyPublishView.as_view(),
        name="api-refund-policy-publish",
    ),  # fmt: skip
    path("ops/refund-policy/dry-run/", api_ops.PolicyDryRunView.as_view(), name="api-refund-policy-dry-run"),
]
