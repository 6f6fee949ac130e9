from django.urls import path

from settlement import api

urlpatterns = [
    # Merchant
    path("seller/finance/statement/", api.SellerStatementView.as_view(), name="api-seller-statement"),
    # Operator
    path("ops/finance/commission-rates/", api.CommissionRatesView.as_view(), name="api-commission-rates"),
    path("ops/finance/commission-rates/<int:pk>/", api.CommissionRateView.as_view(), name="api-commission-rate"),
    path("ops/finance/settlement-runs/", api.SettlementRunsView.as_view(), name="api-settlement-runs"),
    path("ops/finance/settlement-runs/<int:pk>/", api.SettlementRunView.as_view(), name="api-settlement-run"),
    path("ops/finance/payouts/", api.PayoutsView.as_view(), name="api-payouts"),
    path("ops/finance/payouts/run/", api.PayoutRunView.as_view(), name="api-payouts-run"),
    path("ops/finance/promotion-subsidies/", api.PromotionSubsidiesView.as_view(), name="api-promotion-subsidies"),
    path("ops/finance/return-insurance/", api.ReturnInsuranceView.as_view(), name="api-return-insurance"),
]
