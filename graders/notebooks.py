"""The code cells of a notebook, read the same way on both sides of the sandbox (plain Python, no numpy):
the parent fingerprints them, the child runs them."""
from __future__ import annotations

import json


def code_cells(text: str) -> list[str]:
    """Every code cell's source, in order; a cell source that is not text counts as empty.
    Raises ValueError for a document that is not a notebook (invalid or too deeply nested JSON, no cells)."""
    try:
        notebook = json.loads(text)
    except RecursionError:
        raise ValueError("invalid JSON (nested too deep)") from None
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise ValueError("no list of cells")
    sources = []
    for cell in cells:
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            source = cell.get("source", "")
            if isinstance(source, list):
                source = "".join(s for s in source if isinstance(s, str))
            sources.append(source if isinstance(source, str) else "")
    return sources
