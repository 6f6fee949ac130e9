"""Refund writes. Modules: policies (versions), requests (shopper), review (merchant/operator/time-outs),
processing (paying approved refunds exactly once)."""
