"""The few words the reports print themselves, in English and Korean (check messages come localised)."""
from __future__ import annotations

LABELS = {
    "en": {"score": "score", "checks": "checks", "passed": "passed", "failed": "failed", "warnings": "warnings",
           "errors": "errors", "notes": "notes", "all_passed": "All checks passed.", "seconds": "graded in {s:.1f} s",
           "grader_loop": "TwoLayerNet in the grader's SGD loop", "own_loop": "train (the submission's loop)",
           # grade: the class's tables and summary
           "submissions": "{n} submissions", "student": "student", "max": "max", "failed_checks": "failed checks",
           "first_bug": "first bug", "common_bugs": "most common bugs (what to teach again)", "bug": "bug",
           "students": "students", "example": "for example", "skipped": "skipped: {why}",
           "could_not_grade": "could not grade {student}: {why}",
           "summary": "graded {graded}, already done {done}, could not grade {errors}; {s:.1f} s ({rate:.0f} per "
                      "minute) with {how}{lost}",
           "workers": "{n} worker(s)", "cluster": "the cluster at {at}", "lost": ", {n} lost and replaced",
           "exports": "grades: {csv}  Gradescope: {gradescope}  histogram: {histogram}  report: {report}",
           "interrupted": "interrupted: {done} of {total} graded and saved in {folder}; run the same command again "
                          "to grade the rest"},
    "ko": {"score": "점수", "checks": "검사", "passed": "통과", "failed": "실패", "warnings": "경고",
           "errors": "오류", "notes": "참고", "all_passed": "모든 검사를 통과했습니다.", "seconds": "채점 시간 {s:.1f}초",
           "grader_loop": "채점기의 SGD 루프로 학습한 TwoLayerNet", "own_loop": "train (제출물의 학습 루프)",
           "submissions": "제출물 {n}개", "student": "학생", "max": "만점", "failed_checks": "실패한 검사",
           "first_bug": "첫 번째 버그", "common_bugs": "가장 흔한 버그 (다시 가르칠 것)", "bug": "버그",
           "students": "학생 수", "example": "예", "skipped": "건너뜀: {why}",
           "could_not_grade": "{student}: 채점하지 못했습니다: {why}",
           "summary": "채점 {graded}개, 이미 채점됨 {done}개, 채점 못 함 {errors}개; {s:.1f}초 (분당 {rate:.0f}개), "
                      "{how}{lost}",
           "workers": "작업자 {n}개", "cluster": "클러스터 {at}", "lost": ", 작업자 {n}개를 잃고 다시 띄움",
           "exports": "성적: {csv}  Gradescope: {gradescope}  히스토그램: {histogram}  보고서: {report}",
           "interrupted": "중단됨: {total}개 중 {done}개를 채점해 {folder}에 저장했습니다. 같은 명령을 다시 실행하면 "
                          "나머지를 채점합니다."},
}


def label(lang: str, key: str) -> str:
    return LABELS.get(lang, LABELS["en"])[key]
