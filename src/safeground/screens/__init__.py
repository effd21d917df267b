"""Textual screens: one module per screen or dialog, each thin over the session."""
