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
import os
import tempfile
from pathlib import Path
from typing import Any

from graders.batch.discover import Entry

RESULTS = "results"


class ResultStore:
    def __init__(self, out_dir: str | Path, settings: dict[str, Any]) -> None:
        self.root = Path(out_dir)
        self.folder = self.root / RESULTS
        self.folder.mkdir(parents=True, exist_ok=True)
        self.settings_digest = hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()
        for stale in self.folder.glob(".*.tmp"):
            stale.unlink(missing_ok=True)  # left by a run that was killed while writing

    def path(self, student: str) -> Path:
        return self.folder / f"{student}.json"

    def done(self, entry: Entry) -> bool:
        """Graded, from the same code and settings: a submission that could not be graded is tried again."""
        result = self.load(entry.student)
        return result is not None and result.get("status") == "graded" and result.get("digest") == entry.digest \
            and result.get("settings_digest") == self.settings_digest

    def load(self, student: str) -> dict[str, Any] | None:
        try:
            return json.loads(self.path(student).read_text())
        except (OSError, json.JSONDecodeError):
            return None

    def save(self, entry: Entry, result: dict[str, Any]) -> None:
        document = {"student": entry.student, "submission": str(entry.path), "digest": entry.digest,
                    "settings_digest": self.settings_digest, **result}
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=f".{entry.student}.", suffix=".tmp")
        with os.fdopen(handle, "w") as f:
            json.dump(document, f, ensure_ascii=False, indent=1)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, self.path(entry.student))

    def all(self) -> list[dict[str, Any]]:
        results = [self.load(p.stem) for p in sorted(self.folder.glob("*.json"))]
        return [r for r in results if r is not None]
