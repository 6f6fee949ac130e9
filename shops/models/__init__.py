"""Merchants, stores of both brands, staff, categories, products, SKUs, outlets, stock pools and closures.

One module per concern; every model is re-exported here, so ``from shops.models import Product`` keeps working
and the app label stays ``shops``.
"""

from shops.models.catalog import SKU, Category, ImportJob, Product
from shops.models.inventory import Outlet, StockLevel, StockLevelQuerySet, StockPool
from shops.models.ratings import DSR_DIMENSIONS, StoreRating
from shops.models.shipping_templates import ShippingTemplate
from shops.models.stores import Brand, BrandAuthorization, Merchant, StaffRole, Store, StoreClosure, StoreStaff
from shops.promises import PlatformHoliday, ServiceCard, ServiceCatalogue  # (registers them)

__all__ = [
    "DSR_DIMENSIONS",
    "SKU",
    "Brand",
    "BrandAuthorization",
    "Category",
    "ImportJob",
    "Merchant",
    "Outlet",
    "PlatformHoliday",
    "Product",
    "ServiceCard",
    "ServiceCatalogue",
    "ShippingTemplate",
    "StaffRole",
    "StockLevel",
    "StockLevelQuerySet",
    "StockPool",
    "Store",
    "StoreClosure",
    "StoreRating",
    "StoreStaff",
]
