"""nbgrader assignments generated from the reference and graded with graders (not built yet)."""
