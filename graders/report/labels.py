"""The few words the reports print themselves, in English and Korean (check messages come localised)."""
from __future__ import annotations

LABELS = {
    "en": {"score": "score", "checks": "checks", "passed": "passed", "failed": "failed", "warnings": "warnings",
           "errors": "errors", "notes": "notes", "all_passed": "All checks passed.", "seconds": "graded in {s:.1f} s",
           "grader_loop": "TwoLayerNet in the grader's SGD loop", "own_loop": "train (the submission's loop)"},
    "ko": {"score": "점수", "checks": "검사", "passed": "통과", "failed": "실패", "warnings": "경고",
           "errors": "오류", "notes": "참고", "all_passed": "모든 검사를 통과했습니다.", "seconds": "채점 시간 {s:.1f}초",
           "grader_loop": "채점기의 SGD 루프로 학습한 TwoLayerNet", "own_loop": "train (제출물의 학습 루프)"},
}


def label(lang: str, key: str) -> str:
    return LABELS.get(lang, LABELS["en"])[key]
