"""Logistics writes: ship-by clocks (ship_by.py), late shipments (late.py), carrier webhook and sandbox (tracking.py)."""
