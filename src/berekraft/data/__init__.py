"""Packaged reference data (see SOURCES.md)."""
