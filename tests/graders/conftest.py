"""Fixtures for the grader tests (the helpers themselves are in corpus.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from corpus import SUBMISSIONS, TEXTBOOK, write_book_layout, write_notebook


@pytest.fixture(scope="session")
def correct_submissions(tmp_path_factory) -> dict[str, Path]:
    """Every correct variant by name: two single files, the book's folder layout, a notebook."""
    root = tmp_path_factory.mktemp("correct")
    return {"textbook.py": TEXTBOOK, "alt_style.py": SUBMISSIONS / "alt_style.py",
            "book_layout": write_book_layout(root / "book_layout"), "notebook.ipynb": write_notebook(root / "hw5.ipynb")}
