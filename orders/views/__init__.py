"""HTML views of the orders app: storefront (cart, checkout, my orders, flash sales), workbench (/seller/)."""
