"""progress package."""
