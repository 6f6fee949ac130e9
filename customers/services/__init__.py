"""Writes of customers, one module per use case: segments (recompute), follows (follow stores, favourite products),
footprints, targeting (targeted coupon campaigns)."""
