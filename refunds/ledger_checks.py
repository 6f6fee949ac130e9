"""Ledger invariants of refunds (collected by payments.checks from ``CHECKS`` below)."""

from refunds.services.insurance import shopper_credits_match

CHECKS = [shopper_credits_match]
