"""Reports of a graded submission: text for a terminal, JSON for machines, Gradescope's results.json."""
