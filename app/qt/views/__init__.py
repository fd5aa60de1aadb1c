"""Widgets and windows: layout only."""
