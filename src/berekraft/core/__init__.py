"""The pure domain core: standard library, polars and siblings only (import-linter enforces it)."""
