"""HTML views of the accounts app. Every page is the shopper's own (log in, sign up, profile, address book): storefront."""
