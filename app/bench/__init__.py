"""Benchmarks that print figures (`deskpilot bench ...`)."""
