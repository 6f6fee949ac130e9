"""HTML views of the payments app: storefront (the payment page and the sandbox gateway's hosted page)."""
