"""The Registry: a metadata registry for research records."""
