"""HTML views of the shops app: storefront (/), workbench (/seller/), console (/ops/)."""
