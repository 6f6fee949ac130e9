"""REST API of the shops app (/api/v1/): public catalog, merchant endpoints scoped to the caller's own stores,
operator endpoints. Every merchant lookup starts from shops.permissions.stores_for, so another merchant's ids
are simply not found (404) and nothing is read or changed.
"""

from shops.api.ops import (  # noqa: F401
    OpsBrandAuthorizationListView,
    OpsBrandDecisionView,
    OpsMerchantListView,
    OpsStoreApproveView,
    OpsStoreListView,
)
from shops.api.promises import (  # noqa: F401
    OpsHolidayDetailView,
    OpsHolidayListView,
    OpsServiceCatalogueView,
    SellerServiceCardView,
)
from shops.api.public import (  # noqa: F401
    CategoryListView,
    ProductDetailView,
    ProductListView,
    StoreDetailView,
    StoreListView,
)
from shops.api.seller import (  # noqa: F401
    MerchantView,
    SellerBrandAuthorizationView,
    SellerClosureDetailView,
    SellerClosureListView,
    SellerImportCreateView,
    SellerImportDetailView,
    SellerOutletDetailView,
    SellerOutletListView,
    SellerProductDetailView,
    SellerProductListView,
    SellerSKUCreateView,
    SellerSKUDetailView,
    SellerStaffDetailView,
    SellerStaffListView,
    SellerStockAdjustView,
    SellerStockView,
    SellerStoreDetailView,
    SellerStoreListView,
    SellerStoreOpenView,
)
from shops.api.shipping import (  # noqa: F401
    SellerShippingTemplateDetailView,
    SellerShippingTemplateListView,
)
