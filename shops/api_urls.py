from django.urls import path

from shops import api

urlpatterns = [
    # public catalog
    path("categories/", api.CategoryListView.as_view(), name="api-categories"),
    path("products/", api.ProductListView.as_view(), name="api-products"),
    path("products/<int:pk>/", api.ProductDetailView.as_view(), name="api-product"),
    path("stores/", api.StoreListView.as_view(), name="api-stores"),
    path("stores/<slug:slug>/", api.StoreDetailView.as_view(), name="api-store"),
    # merchant (scoped to the caller's stores)
    path("seller/stores/", api.SellerStoreListView.as_view(), name="api-seller-stores"),
    path("seller/stores/<int:pk>/", api.SellerStoreDetailView.as_view(), name="api-seller-store"),
    path("seller/stores/<int:pk>/open/", api.SellerStoreOpenView.as_view(), name="api-seller-store-open"),
    path(
        "seller/stores/<int:store_id>/brand-authorizations/",
        api.SellerBrandAuthorizationView.as_view(),
        name="api-seller-brand-authorizations",
    ),
    path("seller/stores/<int:store_id>/products/", api.SellerProductListView.as_view(), name="api-seller-products"),
    path("seller/stores/<int:store_id>/outlets/", api.SellerOutletListView.as_view(), name="api-seller-outlets"),
    path("seller/stores/<int:store_id>/closures/", api.SellerClosureListView.as_view(), name="api-seller-closures"),
    path(
        "seller/stores/<int:store_id>/service-card/",
        api.SellerServiceCardView.as_view(),
        name="api-seller-service-card",
    ),
    path("seller/stores/<int:store_id>/staff/", api.SellerStaffListView.as_view(), name="api-seller-staff"),
    path("seller/stores/<int:store_id>/imports/", api.SellerImportCreateView.as_view(), name="api-seller-imports"),
    path("seller/products/<int:pk>/", api.SellerProductDetailView.as_view(), name="api-seller-product"),
    path("seller/products/<int:pk>/skus/", api.SellerSKUCreateView.as_view(), name="api-seller-skus"),
    path("seller/skus/<int:pk>/", api.SellerSKUDetailView.as_view(), name="api-seller-sku"),
    path("seller/skus/<int:pk>/stock/", api.SellerStockView.as_view(), name="api-seller-stock"),
    path("seller/skus/<int:pk>/stock/adjust/", api.SellerStockAdjustView.as_view(), name="api-seller-stock-adjust"),
    path(
        "seller/stores/<int:store_id>/shipping-templates/",
        api.SellerShippingTemplateListView.as_view(),
        name="api-seller-shipping-templates",
    ),
    path(
        "seller/shipping-templates/<int:pk>/",
        api.SellerShippingTemplateDetailView.as_view(),
        name="api-seller-shipping-template",
    ),
    path("seller/outlets/<int:pk>/", api.SellerOutletDetailView.as_view(), name="api-seller-outlet"),
    path("seller/closures/<int:pk>/", api.SellerClosureDetailView.as_view(), name="api-seller-closure"),
    path("seller/staff/<int:pk>/", api.SellerStaffDetailView.as_view(), name="api-seller-staff-member"),
    path("seller/imports/<int:pk>/", api.SellerImportDetailView.as_view(), name="api-seller-import"),
    # operator
    path("ops/brand-authorizations/", api.OpsBrandAuthorizationListView.as_view(), name="api-ops-brand-queue"),
    path("ops/brand-authorizations/<int:pk>/decide/", api.OpsBrandDecisionView.as_view(), name="api-ops-brand-decide"),
    path("ops/merchants/", api.OpsMerchantListView.as_view(), name="api-ops-merchants"),
    path("ops/stores/", api.OpsStoreListView.as_view(), name="api-ops-stores"),
    path("ops/service-catalogue/", api.OpsServiceCatalogueView.as_view(), name="api-ops-service-catalogue"),
    path("ops/holidays/", api.OpsHolidayListView.as_view(), name="api-ops-holidays"),
    path("ops/holidays/<int:pk>/", api.OpsHolidayDetailView.as_view(), name="api-ops-holiday"),
    path("ops/stores/<int:pk>/approve/", api.OpsStoreApproveView.as_view(), name="api-ops-store-approve"),
]
