"""HTML views of the promotions app: storefront (/coupons/), workbench (/seller/promotions/), console
(/ops/promotions/). Rules live in promotions.services."""
