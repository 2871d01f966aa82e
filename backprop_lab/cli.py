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
from typing import Callable, Sequence

from backprop_lab.parser import build_parser
from graders.exit_codes import INTERNAL as EXIT_INTERNAL, OK as EXIT_OK, USAGE as EXIT_USAGE, say_error
from graders.messages import say

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
    from graders.threads import one_blas_thread
    one_blas_thread()  # before numpy loads: the parent judges small arrays
    warm.prestart()  # the sandbox's interpreter imports numpy while this one imports the grader
    from graders.check_command import check_command
    return check_command(args.submission, only=args.only, fmt=args.format, lang=args.lang, config_path=args.config,
                         train=args.train, data=args.data, iters=args.iters, data_dir=args.data_dir, out_dir=args.out)


def _grade(args: argparse.Namespace) -> int:
    from graders.threads import one_blas_thread
    one_blas_thread()  # the parent and the workers it starts: the workers already fill the cores
    from graders.batch.command import grade_command
    from graders.batch.lock import FolderBusy
    from graders.batch.runner import SchedulerUnreachable
    try:
        return grade_command(args.submissions_dir, args.out, workers=args.workers, scheduler=args.scheduler,
                             train=args.train, force=args.force, lang=args.lang, config_path=args.config,
                             data=args.data, iters=args.iters, student=args.student)
    except (FolderBusy, SchedulerUnreachable) as exc:
        say_error(exc.text(args.lang), args.lang)
        return EXIT_USAGE
    except OSError as exc:  # a full or read-only disk: what was saved stays saved
        if exc.errno not in (errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EDQUOT, errno.EIO):
            raise
        reason = exc.strerror or exc
        say_error(say(args.lang, "cannot_write_results", out=args.out, reason=reason), args.lang)
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


RUN: dict[str, Callable[[argparse.Namespace], int]] = {
    "graph": _graph, "train": _train, "derive": _derive, "check": _check, "grade": _grade,
    "assignment": _assignment_create, "autograde": _autograde, "gradescope": _gradescope}


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
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(argv).parse_args(argv)
    missing = [package for package in getattr(args, "needs", ()) if importlib.util.find_spec(package) is None]
    if missing == ["nbgrader"]:  # the full toolkit without its optional nbgrader extra
        print(f"error: 'backprop-lab {args.command}' needs nbgrader: pip install 'backprop-lab[assignments]'",
              file=sys.stderr)
        return EXIT_USAGE
    if missing:
        print(STUDENT_CHECKER.format(command=args.command), file=sys.stderr)
        return EXIT_USAGE
    try:
        return RUN[args.command](args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except _user_errors() as exc:
        lang = _language(args)
        say_error(exc.text(lang) if hasattr(exc, "text") else str(exc), lang)
        return EXIT_USAGE
    except Exception as exc:  # backprop-lab's own failure, not the user's input: one line, exit 3
        if os.environ.get("BACKPROP_LAB_DEBUG"):
            raise
        say_error(f"backprop-lab failed: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''} "
                   "(a bug of backprop-lab's; BACKPROP_LAB_DEBUG=1 shows where)", _language(args))
        return EXIT_INTERNAL


def _language(args: argparse.Namespace) -> str:
    """The language the user asked for (--lang), or for autograde the course's."""
    if args.command == "autograde":
        from assignments.cli import course_language
        return course_language(args.course_dir)
    return getattr(args, "lang", None) or "en"


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
