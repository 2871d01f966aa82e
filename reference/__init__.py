"""The chapter-5 reference implementation (placeholder; filled by issue 2)."""
