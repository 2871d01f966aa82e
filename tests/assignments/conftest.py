"""Fixtures for the assignment tests: course_kit (making submissions) is importable from here."""
