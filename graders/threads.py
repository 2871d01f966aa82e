"""BLAS threads, set on purpose: the grader multiplies small arrays, and two cores are shared between the grading
process, its sandboxes and other workers. A BLAS pool there only spins on a core someone else needs (a cold
check's parent spent a third more CPU on it), so every grading process runs one BLAS thread."""
from __future__ import annotations

import os

VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def single_thread_env() -> dict[str, str]:
    """What a process the grader starts (a sandbox child, the zygote) gets: one thread, whatever ours has."""
    return {name: "1" for name in VARIABLES}


def one_blas_thread() -> None:
    """This process: one BLAS thread, if numpy is not loaded yet (the pool is sized when it loads) and the user set
    no count of their own."""
    for name in VARIABLES:
        os.environ.setdefault(name, "1")
