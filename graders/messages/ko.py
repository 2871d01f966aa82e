"""한국어 목록: 채점기가 직접 쓰는 모든 문장 (``en.py``와 같은 키)."""

SENTENCES: dict[str, str] = {
    # 보고서의 낱말.
    "score": "점수", "checks": "검사", "passed": "통과", "failed": "실패", "warnings": "경고",
    "errors": "오류", "notes": "참고", "all_passed": "모든 검사를 통과했습니다.", "seconds": "채점 시간 {s:.1f}초",
    "grader_loop": "채점기의 SGD 루프로 학습한 TwoLayerNet", "own_loop": "train (제출물의 학습 루프)",
    # 무엇을 채점했는지: 모든 보고서의 첫머리.
    "files_read": "읽은 파일: {files}",
    "graded": "채점한 정의: {parts}",
    "graded_script": "{file} (스크립트)",
    "graded_alias": " ({name}, 책의 이름은 {component})",
    "others_not_graded": "{component}의 다른 정의는 채점하지 않았습니다: {others}",
    "demo_skipped": "{file}의 예제 코드(정의 밖의 코드)는 건너뛰었습니다: {error}",
    "broken_definition_one": "경고: {file}의 {names}은(는) 실행되지 않아 다른 정의를 채점했습니다",
    "broken_definition_many": "경고: {file}의 {names}은(는) 실행되지 않아 다른 정의를 채점했습니다",
    "left_out": "제외한 파일: {line}",
    "did_not_load": "제출물을 불러오지 못했습니다: {error}",
    "raised_loading": "제출물을 불러오는 중 오류가 났습니다 (그 앞까지 정의된 이름으로 채점했습니다): {error}",
    "isolation_reduced": "격리가 약해졌습니다({why}): 자원 제한만 적용하고 실행했습니다.",
    "printed_lines": "제출물이 {n}줄을 출력했습니다.",
    # 이름: "wrong_name"이 하는 말.
    "not_book_name": "{where}은(는) 책의 이름이 아닙니다",
    "must_be_exactly": ": 이름은 정확히 {name!r}이어야 합니다",
    "not_defined": "{name}이(가) 정의되어 있지 않습니다",
    "did_you_mean_exactly": ": {near!r}을(를) 말한 건가요? (이름은 정확히 {name!r}이어야 합니다)",
    "no_method": "{component}에 {method!r} 메서드가 없습니다",
    "did_you_mean": ": {near!r}을(를) 말한 건가요?",
    "fix_first": " ({culprits}도 틀렸습니다: 그것부터 고치세요)",
    # 노트북 커널 안의 검사.
    "kernel_passed": "{name}: 모든 검사를 통과했습니다 ({n})",
    # grade: 반 전체의 표와 요약.
    "submissions": "제출물 {n}개", "student": "학생", "max": "만점", "failed_checks": "실패한 검사",
    "first_bug": "첫 번째 버그", "common_bugs": "가장 흔한 버그 (다시 가르칠 것)", "bug": "버그",
    "students": "학생 수", "example": "예", "skipped": "건너뜀: {why}",
    "could_not_grade": "{student}: 채점하지 못했습니다: {why}",
    "grader_failed": "채점할 수 없습니다: {error}",
    "summary": "채점 {graded}개, 이미 채점됨 {done}개, 채점 못 함 {errors}개; {s:.1f}초 (분당 {rate:.0f}개), "
               "{how}{lost}",
    "workers": "작업자 {n}개", "cluster": "클러스터 {at}", "lost": ", 작업자 {n}개를 잃고 다시 띄움",
    "exports": "성적: {csv}  Gradescope: {gradescope}  히스토그램: {histogram}  보고서: {report}",
    "interrupted": "중단됨: {total}개 중 {done}개를 채점해 {folder}에 저장했습니다. 같은 명령을 다시 실행하면 "
                   "나머지를 채점합니다.",
    "cannot_write_results": "{out}에 결과를 쓸 수 없습니다: {reason}. 채점한 것은 남아 있습니다",
    "unreadable_submission": "제출물을 읽을 수 없어 채점하지 못했습니다: {reason}",
    "possible_tampering": "노트북 안에서는 통과했지만 밖에서는 통과하지 못했습니다: 조작 가능성 ({checks})",
    # 반 전체 보고서 (grade --out).
    "class.title": "5장: 반 전체", "class.students": "학생", "class.graded": "채점됨", "class.mean": "평균",
    "class.median": "중앙값", "class.component": "구성 요소", "class.bug": "버그", "class.count": "학생 수",
    "class.example": "예", "class.none": "채점한 제출물에 버그가 없습니다.",
    "class.roots": "구성 요소별 근본 원인", "class.symptoms": "파생 증상",
    # assignment create와 autograde.
    "course.created": "원본 노트북을 검증하고 {released}을(를) 만들었습니다 ({s:.1f}초)",
    "course.submitted": "학생 제출물은 {folder}에 둡니다",
    "course.working": "자동 채점 중...", "course.progress": "{student} 채점 완료 ({score}/{max}, {status})",
    "course.title": "{assignment}: 제출물 {n}개, {s:.1f}초",
    "course.column.student": "학생", "course.column.score": "점수", "course.column.in_kernel": "커널 안 점수",
    "course.column.max": "만점", "course.column.status": "상태", "course.column.flags": "표시",
    "course.exports": "성적: {csv}  Gradescope: {gradescope}  피드백: {feedback}",
    "course.status": "상태: {status}",
    # 오류 한 줄, 그리고 Gradescope 컨테이너 자체의 실패 (printf 형식).
    "error_line": "오류: {line}",
    "autograder_failed": "자동 채점기가 이 제출물을 채점하지 못했습니다: %s",
}
