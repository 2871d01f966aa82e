"""The results folder: one JSON file per student, written atomically the moment it is graded.

A result records the digest of the code and of the grading settings; it counts as done only
when it was graded and both still match, so a resubmitted file or a changed config is graded
again, and so is one that could not be graded. A file is
written under a temporary name and renamed into place: a run killed mid-write leaves either
the old result or none, never half of one.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from graders.batch.discover import Entry
from graders.batch.files import write_atomic

RESULTS = "results"


class ResultStore:
    def __init__(self, out_dir: str | Path, settings: dict[str, Any]) -> None:
        self.root = Path(out_dir)
        self.folder = self.root / RESULTS
        self.folder.mkdir(parents=True, exist_ok=True)
        self.settings_digest = hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()
        for stale in self.folder.glob(".*.tmp"):  # left by a run killed while writing (the caller holds the lock)
            stale.unlink(missing_ok=True)

    def path(self, student: str) -> Path:
        return self.folder / f"{student}.json"

    def done(self, entry: Entry) -> bool:
        """Graded, from the same code and settings: a submission that could not be graded is tried again."""
        result = self.load(entry.student)
        return result is not None and result.get("status") == "graded" and result.get("digest") == entry.digest \
            and result.get("settings_digest") == self.settings_digest

    def load(self, student: str) -> dict[str, Any] | None:
        """The saved result, or None for none or one that is not a result (damaged by hand: graded again)."""
        try:
            document = json.loads(self.path(student).read_text())
        except (OSError, ValueError):
            return None
        return document if isinstance(document, dict) and "status" in document else None

    def save(self, entry: Entry, result: dict[str, Any]) -> None:
        document = {"student": entry.student, "submission": str(entry.path), "digest": entry.digest,
                    "settings_digest": self.settings_digest, **result}
        write_atomic(self.path(entry.student), json.dumps(document, ensure_ascii=False, indent=1))

    def all(self) -> list[dict[str, Any]]:
        results = [self.load(p.stem) for p in sorted(self.folder.glob("*.json"))]
        return [r for r in results if r is not None]
