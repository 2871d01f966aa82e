"""The English catalogue: every sentence the grader writes itself, by key (``ko.py`` has the same keys)."""

SENTENCES: dict[str, str] = {
    # A report's own words.
    "score": "score", "checks": "checks", "passed": "passed", "failed": "failed", "warnings": "warnings",
    "errors": "errors", "notes": "notes", "all_passed": "All checks passed.", "seconds": "graded in {s:.1f} s",
    "grader_loop": "TwoLayerNet in the grader's SGD loop", "own_loop": "train (the submission's loop)",
    # What was graded, said first in every report.
    "files_read": "files read: {files}",
    "graded": "graded: {parts}",
    "graded_script": "{file} (script)",
    "graded_alias": " (as {name}; the book's name is {component})",
    "others_not_graded": "{component} is also defined at {others}; those were not graded",
    "demo_skipped": "{file}: its demo code (outside definitions) was skipped: {error}",
    "broken_definition_one": "warning: {names} in {file} does not run; graded from its other definition",
    "broken_definition_many": "warning: {names} in {file} does not run; graded from their other definition",
    "left_out": "left out: {line}",
    "did_not_load": "the submission did not load: {error}",
    "raised_loading": "the submission raised while loading (graded with the names defined before that): {error}",
    "isolation_reduced": "isolation reduced ({why}): the code ran under resource limits only",
    "printed_lines": "the submission printed {n} line(s).",
    # Names: what "wrong_name" says.
    "not_book_name": "{where} is not the book's name",
    "must_be_exactly": "; the name must be exactly {name!r}",
    "not_defined": "{name} is not defined",
    "did_you_mean_exactly": "; did you mean {near!r}? (the name must be exactly {name!r})",
    "no_method": "{component} has no method {method!r}",
    "did_you_mean": "; did you mean {near!r}?",
    "fix_first": " ({culprits} fails too: fix that first)",
    # The checks inside a notebook's kernel.
    "kernel_passed": "{name}: all checks passed ({n})",
    # grade: the class's tables and summary.
    "submissions": "{n} submissions", "student": "student", "max": "max", "failed_checks": "failed checks",
    "first_bug": "first bug", "common_bugs": "most common bugs (what to teach again)", "bug": "bug",
    "students": "students", "example": "for example", "skipped": "skipped: {why}",
    "could_not_grade": "could not grade {student}: {why}",
    "grader_failed": "could not grade: {error}",
    "summary": "graded {graded}, already done {done}, could not grade {errors}; {s:.1f} s ({rate:.0f} per "
               "minute) with {how}{lost}",
    "workers": "{n} worker(s)", "cluster": "the cluster at {at}", "lost": ", {n} lost and replaced",
    "exports": "grades: {csv}  Gradescope: {gradescope}  histogram: {histogram}  report: {report}",
    "interrupted": "interrupted: {done} of {total} graded and saved in {folder}; run the same command again "
                   "to grade the rest",
    "cannot_write_results": "cannot write the results in {out}: {reason}; what was graded is kept",
    # Gradescope and nbgrader.
    "unreadable_submission": "the submission could not be read, so nothing was graded: {reason}",
    "possible_tampering": "tests passed in the notebook but not out of it: possible tampering ({checks})",
    # The class report (grade --out): its page of root causes.
    "class.title": "Chapter 5: the class", "class.students": "students", "class.graded": "graded", "class.mean": "mean",
    "class.median": "median", "class.component": "component", "class.bug": "bug", "class.count": "students",
    "class.example": "for example", "class.none": "No bug in any graded submission.",
    "class.roots": "Root causes, per component", "class.symptoms": "knock-on symptom",
    # assignment create and autograde.
    "course.created": "validated the source notebook and generated {released} in {s:.1f} s",
    "course.submitted": "students' submissions go to {folder}",
    "course.working": "autograding...", "course.progress": "autograded {student} ({score}/{max}, {status})",
    "course.title": "{assignment}: {n} submissions in {s:.1f} s",
    "course.column.student": "student", "course.column.score": "score", "course.column.in_kernel": "in kernel",
    "course.column.max": "max", "course.column.status": "status", "course.column.flags": "flags",
    "course.exports": "grades: {csv}  Gradescope: {gradescope}  feedback: {feedback}",
    "course.status": "status: {status}",
    # The one line of an error, and the Gradescope container's own failure (a printf template).
    "error_line": "error: {line}",
    "autograder_failed": "the autograder could not grade this submission: %s",
}
