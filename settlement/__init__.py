"""Money after delivery: received sub-orders settled to their stores (commission, platform subsidy, adjustments
such as creator commission), manual settlement runs, payouts, merchant statements and the settlement ledger checks.

Sits between refunds and livestream: it reads orders, payments' ledger and refunds' rows; livestream answers its
``signals.settlement_adjustments``. The models keep their ``payments_*`` tables.
"""
