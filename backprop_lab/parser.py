"""The command line's grammar: every command, its options and their checks, in argparse. What each command does
is in ``cli.py``, which forwards to the package that does the work."""
from __future__ import annotations

import argparse
from typing import Any, Callable, Sequence

DATASETS = ("mnist-10k", "mnist", "fashion-mnist")
DESCRIPTION = "The backprop-lab command: parses arguments and forwards to the package that does the work."


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole grammar; given the command line ``argv``, only its command's (the rest costs a cold ``check``
    a twentieth of its time), unless it names no command, where the whole grammar says what there is."""
    parser = argparse.ArgumentParser(prog="backprop-lab", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    chosen = [COMMANDS[argv[0]]] if argv and argv[0] in COMMANDS else COMMANDS.values()
    for add in chosen:
        add(commands)
    return parser


def _add_graph(commands: Any) -> None:
    graph = commands.add_parser("graph", help="the apples-and-oranges graph, forward and backward")
    graph.set_defaults(needs=("reference",))


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
    train.set_defaults(needs=("reference",))


def _add_derive(commands: Any) -> None:
    derive = commands.add_parser("derive", help="prove every layer's gradient with SymPy")
    derive.add_argument("--check", action="store_true", help="exit non-zero if any theorem fails")
    derive.add_argument("--latex", action="store_true", help="print statements as LaTeX")
    derive.add_argument("--write", action="store_true", help="regenerate the oracles and docs/derivations.md")
    derive.set_defaults(needs=("sympy",))


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
    create.set_defaults(needs=("assignments", "nbgrader"))


def _add_autograde(commands: Any) -> None:
    autograde = commands.add_parser("autograde", help="nbgrader autograde, then a trusted regrade in the sandbox")
    autograde.add_argument("course_dir")
    autograde.add_argument("assignment", nargs="?", default="ch05")
    autograde.add_argument("--force", action="store_true", help="grade again the students already graded")
    autograde.add_argument("--student", help="grade this one student again (the others' results are kept)")
    autograde.set_defaults(needs=("assignments", "nbgrader"))


def _add_gradescope(commands: Any) -> None:
    gradescope = commands.add_parser("gradescope", help="write a Gradescope autograder zip that runs check")
    gradescope.add_argument("out", metavar="OUT.zip", help="the zip to write (upload it as the autograder)")
    gradescope.add_argument("--config", help="grading config (JSON or YAML), validated and shipped in the zip")
    gradescope.add_argument("--lang", choices=("en", "ko"), default="en", help="language of the students' feedback")
    gradescope.add_argument("--only", type=_comma_list("component", _component_names),
                            help="grade only these components, e.g. Relu,Affine")
    gradescope.set_defaults(needs=("reference",))  # builds the checker from the project's tree


COMMANDS: dict[str, Callable[[Any], None]] = {
    "graph": _add_graph, "train": _add_train, "derive": _add_derive, "check": _add_check, "grade": _add_grade,
    "assignment": _add_assignment, "autograde": _add_autograde, "gradescope": _add_gradescope}


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
    from graders.components import BOOK_SCRIPTS, UNITS
    return [*UNITS, BOOK_SCRIPTS]


def _part_names() -> Sequence[str]:
    from assignments.parts import PART_IDS
    return PART_IDS
