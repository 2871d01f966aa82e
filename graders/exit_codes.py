"""How a command ends, defined once for ``backprop_lab/cli.py`` and the command modules it forwards to
(``graders/check_command.py``, ``graders/batch/command.py``): its exit code, and for bad input one line on
stderr in the user's language."""
import sys

from graders.messages import say

OK = 0        # done; every check passed
FAILED = 1    # a check failed (the submission has a bug), or a proof failed
USAGE = 2     # bad input: one line on stderr says what
INTERNAL = 3  # backprop-lab could not do its part (a grader failure, a full disk): one line on stderr


def say_error(line: str, lang: str = "en") -> None:
    """``error: LINE`` on stderr, or ``오류: LINE`` in Korean."""
    print(say(lang, "error_line", line=line), file=sys.stderr)
