from django.urls import path

from refunds.views import ops, ops_policy, seller, shopper

app_name = "refunds"
urlpatterns = [
    # Shopper
    path("refunds/", shopper.refund_list, name="list"),
    path("refunds/new/<int:suborder_id>/", shopper.refund_new, name="new"),
    path("refunds/new/<int:suborder_id>/preview/", shopper.refund_preview, name="preview"),
    path("refunds/cancel-overdue/<int:suborder_id>/", shopper.cancel_overdue, name="cancel_overdue"),
    path("refunds/<int:pk>/", shopper.refund_detail, name="detail"),
    path("refunds/<int:pk>/status/", shopper.refund_status, name="status"),
    path("refunds/<int:pk>/modify/", shopper.refund_modify, name="modify"),
    path("refunds/<int:pk>/withdraw/", shopper.refund_withdraw, name="withdraw"),
    path("refunds/<int:pk>/escalate/", shopper.refund_escalate, name="escalate"),
    path("refunds/<int:pk>/return/", shopper.refund_return_shipment, name="return_shipment"),
    path("me/credits/", shopper.my_credits, name="credits"),
    # Merchant workbench
    path("seller/refunds/", seller.refund_list, name="seller_list"),
    path("seller/refunds/<int:pk>/", seller.refund_detail, name="seller_detail"),
    path("seller/refunds/<int:pk>/approve/", seller.refund_approve, name="seller_approve"),
    path("seller/refunds/<int:pk>/reject/", seller.refund_reject, name="seller_reject"),
    path("seller/refunds/<int:pk>/receive/", seller.refund_confirm_return, name="seller_confirm_return"),
    # Operators
    path("ops/refunds/", ops.refund_list, name="ops_list"),
    path("ops/refunds/<int:pk>/", ops.refund_detail, name="ops_detail"),
    path("ops/refunds/<int:pk>/decide/", ops.refund_decide, name="ops_decide"),
    path("ops/refunds/policy/", ops_policy.policy_edit, name="ops_policy"),
    path("ops/refunds/policy/history/", ops_policy.policy_history, name="ops_policy_history"),
    path("ops/refunds/policy/v<int:number>/", ops_policy.policy_version, name="ops_policy_version"),
    path("ops/refunds/policy/v<int:number>/publish/", ops_policy.policy_publish, name="ops_policy_publish"),
]
