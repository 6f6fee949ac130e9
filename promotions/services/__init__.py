"""Every write of promotions, one module per use case: ``claims`` (shoppers claim coupons, expiry sweep),
``consumption`` (orders consume and release coupons and campaign budgets), ``campaigns``, ``store_promotions`` (and
live-stream prices), ``coupons`` (templates, live-stream coupons), ``granting`` (targeted coupons put straight into chosen shoppers'
wallets); ``validation`` holds the field checks they share.

Rules that can fail raise ``ValidationError`` ({field: message}) for edits and ``DomainError`` for operations, so
forms show them beside the field and the API answers 400 with the message; nothing is saved when they fail.
"""
