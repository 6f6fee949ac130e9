"""Refund writes. Modules: policies (versions), assessment (what a request would be: amounts, decision, prediction;
reads), requests (shopper), review (merchant/operator/time-outs),
processing (paying approved refunds exactly once)."""
