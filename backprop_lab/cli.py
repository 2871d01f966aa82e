"""The ``backprop-lab`` command: parses arguments and forwards to the package that does the work.

Subcommands:
    graph    the chapter's apples-and-oranges computational graph, forward and backward
    train    the chapter's MNIST experiment with the reference TwoLayerNet
    derive   SymPy derivations and proofs of every layer's gradient
    check    grade a student's submission in a sandbox (--train: its training too)
    grade    grade a whole class in parallel, locally or on a Dask cluster; resumable
    assignment create   write, validate and generate the nbgrader course
    autograde           nbgrader's autograde, then a trusted regrade of every submission
    gradescope          a Gradescope autograder zip (setup.sh, run_autograder, the student checker)

Exit codes:
    0  ok
    1  the submission has a bug (a check failed), or a proof failed
    2  usage or input error (one line on stderr)
    3  could not grade (internal error)

Each subcommand imports only what it needs, so ``check`` starts without SymPy or the reference.
The student checker (``packaging/build_checker.py``) ships without ``reference``, ``assignments``
and SymPy: there the instructor's commands say so in one line and exit 2.
"""
from __future__ import annotations

import argparse
import errno
import importlib.util
import os
import sys
from typing import Any, Callable, Sequence

from graders.exit_codes import INTERNAL as EXIT_INTERNAL, OK as EXIT_OK, USAGE as EXIT_USAGE

DATASETS = ("mnist-10k", "mnist", "fashion-mnist")
STUDENT_CHECKER = ("error: 'backprop-lab {command}' is an instructor's command; this is the student checker "
                   "(pip install backprop-lab for the full toolkit)")


def _graph(args: argparse.Namespace) -> int:
    from reference.graph import print_graph
    print_graph()
    return EXIT_OK


def _train(args: argparse.Namespace) -> int:
    from reference.experiment import run_experiment
    from reference.train import TrainConfig
    config = TrainConfig(dataset=args.data, data_dir=args.data_dir, iters=args.iters,
                         batch_size=args.batch_size, learning_rate=args.lr, hidden_size=args.hidden,
                         seed=args.seed, dtype=args.dtype)
    out = args.out or f"runs/{args.data}-seed{args.seed}"
    run_experiment(config, out)
    return EXIT_OK


def _derive(args: argparse.Namespace) -> int:
    from graders.derive.cli import main
    return main(check=args.check, latex=args.latex, write=args.write)


def _check(args: argparse.Namespace) -> int:
    from graders.sandbox import warm
    warm.prestart()  # the sandbox's interpreter imports numpy while this one imports the grader
    from graders.check_command import check_command
    return check_command(args.submission, only=args.only, fmt=args.format, lang=args.lang, config_path=args.config,
                         train=args.train, data=args.data, iters=args.iters, data_dir=args.data_dir, out_dir=args.out)


def _grade(args: argparse.Namespace) -> int:
    from graders.batch.command import grade_command
    from graders.batch.lock import FolderBusy
    from graders.batch.runner import SchedulerUnreachable
    try:
        return grade_command(args.submissions_dir, args.out, workers=args.workers, scheduler=args.scheduler,
                             train=args.train, force=args.force, lang=args.lang, config_path=args.config,
                             data=args.data, iters=args.iters, student=args.student)
    except (FolderBusy, SchedulerUnreachable) as exc:
        _say_error(exc.text(args.lang), args.lang)
        return EXIT_USAGE
    except OSError as exc:  # a full or read-only disk: what was saved stays saved
        if exc.errno not in (errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EDQUOT, errno.EIO):
            raise
        reason = exc.strerror or exc
        _say_error(f"{args.out}에 결과를 쓸 수 없습니다: {reason}. 채점한 것은 남아 있습니다" if args.lang == "ko" else
                   f"cannot write the results in {args.out}: {reason}; what was graded is kept", args.lang)
        return EXIT_INTERNAL


def _assignment_create(args: argparse.Namespace) -> int:
    from assignments.cli import create
    return create(args.course_dir, parts=args.parts, lang=args.lang, points_path=args.config)


def _autograde(args: argparse.Namespace) -> int:
    from assignments.cli import autograde
    return autograde(args.course_dir, args.assignment, force=args.force, student=args.student)


def _gradescope(args: argparse.Namespace) -> int:
    from graders.autograder_zip import gradescope_command
    return gradescope_command(args.out, config=args.config, lang=args.lang, only=args.only)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="backprop-lab", description=__doc__.split("\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in (_add_graph, _add_train, _add_derive, _add_check, _add_grade, _add_assignment, _add_autograde,
                _add_gradescope):
        add(commands)
    return parser


def _add_graph(commands: Any) -> None:
    graph = commands.add_parser("graph", help="the apples-and-oranges graph, forward and backward")
    graph.set_defaults(run=_graph, needs=("reference",))


def _add_train(commands: Any) -> None:
    train = commands.add_parser("train", help="train the reference TwoLayerNet on MNIST")
    train.add_argument("--data", choices=DATASETS, default="mnist-10k", help="data set (default: %(default)s)")
    train.add_argument("--data-dir", help="directory holding the data set's IDX files")
    train.add_argument("--iters", type=_positive_int, default=10_000, help="SGD steps (default: %(default)s)")
    train.add_argument("--batch-size", type=_positive_int, default=100, help="default: %(default)s")
    train.add_argument("--lr", type=float, default=0.1, help="learning rate (default: %(default)s)")
    train.add_argument("--hidden", type=_positive_int, default=50, help="hidden units (default: %(default)s)")
    train.add_argument("--seed", type=int, default=0, help="random seed (default: %(default)s)")
    train.add_argument("--dtype", choices=("float64", "float32"), default="float64")
    train.add_argument("--out", help="output directory (default: runs/DATA-seedSEED)")
    train.set_defaults(run=_train, needs=("reference",))


def _add_derive(commands: Any) -> None:
    derive = commands.add_parser("derive", help="prove every layer's gradient with SymPy")
    derive.add_argument("--check", action="store_true", help="exit non-zero if any theorem fails")
    derive.add_argument("--latex", action="store_true", help="print statements as LaTeX")
    derive.add_argument("--write", action="store_true", help="regenerate the oracles and docs/derivations.md")
    derive.set_defaults(run=_derive, needs=("sympy",))


def _add_check(commands: Any) -> None:
    check = commands.add_parser("check", help="grade a submission (.py, book-layout folder, .ipynb)")
    check.add_argument("submission")
    check.add_argument("--only", type=_comma_list("component", _component_names), help="comma-separated components, e.g. Relu,Affine")
    check.add_argument("--format", choices=("text", "json", "gradescope"), default="text")
    check.add_argument("--lang", choices=("en", "ko"), default="en")
    check.add_argument("--config", help="grading config (JSON or YAML)")
    check.add_argument("--train", action="store_true",
                       help="also grade training: lockstep replay and an accuracy run (grader's loop and `train`)")
    check.add_argument("--data", choices=DATASETS, help="data set for --train (default: the config's, else mnist-10k)")
    check.add_argument("--data-dir", help="directory holding the data set's IDX files")
    check.add_argument("--iters", type=_positive_int,
                       help="SGD steps of the accuracy run (default: 10000); accuracy thresholds ship for 2000 and "
                            "10000 steps (and 1000 on mnist-10k); others need training.thresholds in --config")
    check.add_argument("--out", help="where --train writes history and learning curves (default: runs/check-NAME)")
    check.set_defaults(run=_check)


def _add_grade(commands: Any) -> None:
    grade = commands.add_parser("grade", help="grade a whole class in parallel (resumable)")
    grade.add_argument("submissions_dir", help="one .py file, folder or notebook per student")
    grade.add_argument("--out", required=True, help="results folder (re-running resumes from it)")
    grade.add_argument("--workers", type=_positive_int, default=2, help="local processes (default: %(default)s)")
    grade.add_argument("--scheduler", help="a Dask scheduler, tcp://HOST:PORT, instead of local processes")
    grade.add_argument("--train", action="store_true", help="also grade training (as check --train)")
    grade.add_argument("--data", choices=DATASETS, help="data set for --train")
    grade.add_argument("--iters", type=_positive_int,
                       help="SGD steps for --train (thresholds ship for 2000 and 10000; see check --help)")
    grade.add_argument("--force", action="store_true", help="grade again what is already graded")
    grade.add_argument("--student", help="regrade this one student (as named in grades.csv); the rest is kept")
    grade.add_argument("--lang", choices=("en", "ko"), default="en")
    grade.add_argument("--config", help="grading config (JSON or YAML)")
    grade.set_defaults(run=_grade)


def _add_assignment(commands: Any) -> None:
    assignment = commands.add_parser("assignment", help="the chapter-5 nbgrader assignment")
    assignment_commands = assignment.add_subparsers(dest="assignment_command", required=True, metavar="COMMAND")
    create = assignment_commands.add_parser("create", help="write, validate and generate an nbgrader course")
    create.add_argument("course_dir")
    create.add_argument("--parts", type=_comma_list("part", _part_names), default=None,
                        help="comma-separated parts (default: all): graph,activations,affine_softmax,network,training")
    create.add_argument("--lang", choices=("en", "ko"), default="en", help="language of the text and feedback")
    create.add_argument("--config", help="grading config (JSON or YAML) whose assignment.points set the notebook's "
                        "points, or a JSON object of points per component, e.g. {\"TwoLayerNet\": 6}")
    create.set_defaults(run=_assignment_create, needs=("assignments", "nbgrader"))


def _add_autograde(commands: Any) -> None:
    autograde = commands.add_parser("autograde", help="nbgrader autograde, then a trusted regrade in the sandbox")
    autograde.add_argument("course_dir")
    autograde.add_argument("assignment", nargs="?", default="ch05")
    autograde.add_argument("--force", action="store_true", help="grade again the students already graded")
    autograde.add_argument("--student", help="grade this one student again (the others' results are kept)")
    autograde.set_defaults(run=_autograde, needs=("assignments", "nbgrader"))


def _add_gradescope(commands: Any) -> None:
    gradescope = commands.add_parser("gradescope", help="write a Gradescope autograder zip that runs check")
    gradescope.add_argument("out", metavar="OUT.zip", help="the zip to write (upload it as the autograder)")
    gradescope.add_argument("--config", help="grading config (JSON or YAML), validated and shipped in the zip")
    gradescope.add_argument("--lang", choices=("en", "ko"), default="en", help="language of the students' feedback")
    gradescope.add_argument("--only", type=_comma_list("component", _component_names),
                            help="grade only these components, e.g. Relu,Affine")
    gradescope.set_defaults(run=_gradescope, needs=("reference",))  # builds the checker from the project's tree


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive integer, not {text}")
    return value


def _comma_list(kind: str, allowed: Callable[[], Sequence[str]]) -> Callable[[str], list[str]]:
    """An argparse type for "a,b,c" whose every item must be one of ``allowed()`` (looked up only when used)."""
    def parse(text: str) -> list[str]:
        items = [item.strip() for item in text.split(",") if item.strip()]
        try:
            choices = allowed()
        except ModuleNotFoundError:  # the student checker has no assignments/: the command itself says so
            return items
        unknown = [item for item in items if item not in choices]
        if unknown:
            raise argparse.ArgumentTypeError(f"unknown {kind} {unknown[0]!r}; choose from {', '.join(choices)}")
        return items
    return parse


def _component_names() -> Sequence[str]:
    from graders.checks import SUITES, book_scripts
    return [*SUITES, book_scripts.COMPONENT]


def _part_names() -> Sequence[str]:
    from assignments.parts import PART_IDS
    return PART_IDS


def _user_errors() -> tuple[type[BaseException], ...]:
    """Exceptions that mean bad input, not a bug in backprop-lab."""
    from labdata import DataError
    errors: list[type[BaseException]] = [DataError, FileNotFoundError, IsADirectoryError, PermissionError]
    try:
        from graders.batch.lock import FolderBusy
        from graders.config import ConfigError
        from graders.submission import SubmissionError
        errors += [ConfigError, SubmissionError, FolderBusy]
        from assignments.course import AssignmentError
        errors.append(AssignmentError)
    except ImportError:
        pass
    return tuple(errors)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    missing = [package for package in getattr(args, "needs", ()) if importlib.util.find_spec(package) is None]
    if missing == ["nbgrader"]:  # the full toolkit without its optional nbgrader extra
        print(f"error: 'backprop-lab {args.command}' needs nbgrader: pip install 'backprop-lab[assignments]'",
              file=sys.stderr)
        return EXIT_USAGE
    if missing:
        print(STUDENT_CHECKER.format(command=args.command), file=sys.stderr)
        return EXIT_USAGE
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except _user_errors() as exc:
        lang = _language(args)
        _say_error(exc.text(lang) if hasattr(exc, "text") else str(exc), lang)
        return EXIT_USAGE
    except Exception as exc:  # backprop-lab's own failure, not the user's input: one line, exit 3
        if os.environ.get("BACKPROP_LAB_DEBUG"):
            raise
        _say_error(f"backprop-lab failed: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''} "
                   "(a bug of backprop-lab's; BACKPROP_LAB_DEBUG=1 shows where)", _language(args))
        return EXIT_INTERNAL


def _language(args: argparse.Namespace) -> str:
    """The language the user asked for (--lang), or for autograde the course's."""
    if args.command == "autograde":
        from assignments.cli import course_language
        return course_language(args.course_dir)
    return getattr(args, "lang", None) or "en"


def _say_error(line: str, lang: str = "en") -> None:
    print(f"{'오류' if lang == 'ko' else 'error'}: {line}", file=sys.stderr)


def entry() -> None:
    """The console script: ``main``, then out without the interpreter's teardown (freeing every module and
    array), which costs a cold check about a fifth of its time. Exit handlers still run; where a thread is
    still alive, the ordinary exit joins it."""
    code = main()
    import atexit
    import threading
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass
    if threading.active_count() == 1:
        atexit._run_exitfuncs()
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    entry()
