"""The few words the reports print themselves, in English and Korean (check messages come localised)."""
from __future__ import annotations

LABELS = {
    "en": {"score": "score", "checks": "checks", "passed": "passed", "failed": "failed", "warnings": "warnings",
           "errors": "errors", "notes": "notes", "all_passed": "All checks passed.", "seconds": "graded in {s:.1f} s"},
    "ko": {"score": "점수", "checks": "검사", "passed": "통과", "failed": "실패", "warnings": "경고",
           "errors": "오류", "notes": "참고", "all_passed": "모든 검사를 통과했습니다.", "seconds": "채점 시간 {s:.1f}초"},
}


def label(lang: str, key: str) -> str:
    return LABELS.get(lang, LABELS["en"])[key]
