"""The command line's exit codes, defined once: ``backprop_lab/cli.py`` and the command modules it forwards to
(``graders/check_command.py``, ``graders/batch/command.py``) answer with these."""

OK = 0        # done; every check passed
FAILED = 1    # a check failed (the submission has a bug), or a proof failed
USAGE = 2     # bad input: one line on stderr says what
INTERNAL = 3  # backprop-lab could not do its part (a grader failure, a full disk): one line on stderr
