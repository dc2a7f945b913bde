"""Operational visibility: Prometheus metrics and structured (JSON) logs."""
