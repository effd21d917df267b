"""Textual widgets: one module per field kind, behind :mod:`safeground.widgets.registry`."""
